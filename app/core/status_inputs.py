"""The facts a status answer is built from: one pair's (`PairFacts`) and the whole service's (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.core.notice import EditSignals
from app.core.records import ChangeRecord, HeldPlan, PairFlags, PairSources, RunRecord
from app.core.schedule import Health
from app.core.tabs import PairTab

__all__ = ["PairFacts", "StatusInputs"]


@dataclass(frozen=True)
class PairFacts:
    """Everything known about one pair at one moment (times: epoch seconds)."""

    name: str
    board: str
    spreadsheet: str
    tab: str
    health: Health | None = None  # None where nothing runs (the CLI)
    last_run: RunRecord | None = None
    rows: int | None = None  # rows in the last synced base
    held: Sequence[HeldPlan] = ()  # plans waiting for approval
    last_webhook: float | None = None  # the last accepted webhook for this pair
    failing_since: float | None = None
    last_synced: float | None = None  # the last successful run any replica recorded in the store
    flags: PairFlags = field(default_factory=PairFlags)  # the shared pause flag (who, why)
    sources: PairSources | None = None  # names and links, once a run has read them
    runs: Sequence[RunRecord] = ()  # the run history, newest first
    timezone: str = "UTC"
    known_tab: PairTab | None = None  # the tab the pair last read, by sheet id (followed across renames)
    edits: EditSignals = field(default_factory=EditSignals)  # how its sheet edits are noticed
    guard_log: Sequence[ChangeRecord] = ()  # the pair's trust and approval records, newest first


@dataclass(frozen=True)
class StatusInputs:
    """The whole service's facts for one status answer."""

    now: float
    pairs: Sequence[PairFacts]
    changes: Sequence[ChangeRecord] = ()  # already in each pair's sheet language
    public_url: str | None = None
    admin_enabled: bool = False
    registration: Mapping[str, Any] = field(default_factory=dict)
    version: str = ""
    config_hint: str = ""  # " -c FILE" when the CLI was given one, repeated in the hints
