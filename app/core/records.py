"""The records the state store keeps and hands back (plain dataclasses, UTC-aware datetimes)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

Outcome = Literal["ok", "noop", "failed", "held", "refused"]


@dataclass(frozen=True)
class RunRecord:
    """One run of one pair: when, how it ended, what it changed and how many API calls it made."""

    pair: str
    started_at: datetime
    finished_at: datetime
    outcome: Outcome
    message: str = ""
    rows_added: int = 0
    rows_removed: int = 0
    cells_changed: int = 0
    trello_requests: int = 0
    sheets_reads: int = 0
    sheets_writes: int = 0
    id: int | None = None


@dataclass(frozen=True)
class ChangeRecord:
    """One change seen in Trello (from a webhook action): who changed which field of which card."""

    at: datetime
    pair: str
    board_id: str
    action_id: str
    action_type: str
    member: str  # the Trello member's full name (or username when there is none)
    card_id: str
    card_name: str
    field: str
    before: str | None = None
    after: str | None = None


@dataclass(frozen=True)
class HeldPlan:
    """A plan a guard refused to apply, kept until someone approves it."""

    id: int
    pair: str
    created_at: datetime
    reason: str
    plan: dict[str, Any] = field(default_factory=dict)
    approved_at: datetime | None = None
    approved_by: str | None = None


@dataclass(frozen=True)
class PairFlags:
    """What every replica and the CLI share about a pair: its pause flag (who, why, since when) and the
    newest approval of one of its held plans (a replica that did not take it still runs the plan)."""

    paused: bool = False
    paused_by: str | None = None
    reason: str | None = None
    since: datetime | None = None
    approved_at: datetime | None = None


@dataclass(frozen=True)
class PairSources:
    """The names and links of a pair's board and spreadsheet, as the last run read them."""

    board_name: str
    board_url: str
    spreadsheet_title: str
    spreadsheet_url: str
    # List custom fields' option id -> text, so every process (the CLI's status too) names the options
    # a change log entry holds by id, without reading the board itself.
    option_texts: Mapping[str, str] = field(default_factory=dict)
