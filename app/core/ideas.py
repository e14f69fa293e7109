"""The Ideas intake tab (pure): its rows -> cards to create, cells and notes to write, two-way edits.

A row with a name and no card id becomes one card. Exactly once: the shell notes an `Intent` (keyed by
the row's `row_key`) before the POST and its card id after it; a later run that finds the intent writes
the row instead of creating again, and an intent without a card id adopts the card the board read shows
(same name, created at or after the intent; Trello ids begin with their creation time in unix seconds:
https://support.atlassian.com/trello/docs/getting-the-time-a-card-or-board-was-created/).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from app.core.mapping import field_mapper, link_cell, text_cell
from app.core.model import Card, Cell, CellValue, Column
from app.core.plan import CustomItem, SheetEvent, TrelloWrite

# Clocks differ: a card up to this many seconds older than its intent is still its card.
CLOCK_SLACK_SECONDS = 60
NOTE_PREFIX = "boardsheet: "
DELETED = "Deleted in Trello"
ARCHIVED = "Archived"
WAITING = "Not created yet: fix the noted cells"


@dataclass(frozen=True, slots=True)
class IntakePolicy:
    """What the core needs of a pair's `intake:` block."""

    tab: str
    list_name: str
    columns: tuple[Column, ...]  # the mapped columns (each two-way)
    key_header: str = "Card ID"
    link_header: str = "Link"
    status_header: str = "List"
    timezone: str = "UTC"
    conflicts: Literal["trello", "sheet"] = "trello"

    def owned(self) -> tuple[Column, ...]:
        """Mapped columns, then the three boardsheet writes itself: id, link, current list."""
        own = (
            Column(self.key_header, "id"),
            Column(self.link_header, "url"),
            Column(self.status_header, "list"),
        )
        return (*self.columns, *own)


@dataclass(frozen=True, slots=True)
class Intent:
    """A creation noted before its POST: the row's key, the card's name, list, time; then its card id.

    `base` holds the row's cells (header -> value) as last synced; `done` once the row shows the card.
    """

    row_key: str
    name: str
    list_id: str
    noted_at: datetime
    card_id: str | None = None
    base: dict[str, CellValue] = field(default_factory=dict)
    done: bool = False


@dataclass(frozen=True, slots=True)
class NewCard:
    """A row to create a card from: grid row, row key, POST /1/cards fields, custom items, base cells."""

    row: int
    row_key: str
    name: str
    put: dict[str, Any]
    custom: tuple[CustomItem, ...]
    base: dict[str, CellValue]


@dataclass(frozen=True, slots=True)
class CellWrite:
    """One cell to write (value and the formats the sync owns) at (grid row, column)."""

    row: int
    column: int
    cell: Cell


@dataclass(frozen=True, slots=True)
class NoteWrite:
    """One note to set (empty text: remove ours) at (grid row, column)."""

    row: int
    column: int
    note: str


@dataclass(frozen=True)
class IntakePlan:
    """A run's work on the intake tab; `resolved` maps row keys to cards whose rows are written now."""

    sheet_id: int
    columns: dict[str, int]  # header -> column index
    list_id: str
    list_name: str
    cells: tuple[CellWrite, ...] = ()
    notes: tuple[NoteWrite, ...] = ()
    creates: tuple[NewCard, ...] = ()
    resolved: dict[str, Card | str] = field(default_factory=dict)  # row key -> card (id when unread)
    resolved_rows: dict[str, int] = field(default_factory=dict)  # row key -> grid row
    shown: dict[str, tuple[CellWrite, ...]] = field(default_factory=dict)  # row key -> its typed cells
    trello: tuple[TrelloWrite, ...] = ()
    events: tuple[SheetEvent, ...] = ()
    bases: dict[str, dict[str, CellValue]] = field(default_factory=dict)  # card id -> base cells

    def empty(self) -> bool:
        """True when the run has nothing to write for the intake."""
        return not (self.cells or self.notes or self.creates or self.resolved or self.trello)


def row_key(name: str, occurrence: int) -> str:
    """A row's identity before it has a card: its name (case and spacing ignored) and which repeat it is."""
    folded = " ".join(name.split()).casefold()
    return hashlib.sha256(f"{folded}\x1f{occurrence}".encode()).hexdigest()[:32]


def created_at(card_id: str) -> int | None:
    """A Trello id's creation time in unix seconds (its first 8 hex digits), None when not an id."""
    try:
        return int(card_id[:8], 16) if len(card_id) == 24 else None
    except ValueError:
        return None


def status_text(card: Card | None) -> str:
    """What the row's list cell says of its card: the list's name, Archived, or Deleted in Trello."""
    if card is None:
        return DELETED
    return ARCHIVED if card.archived else card.list_name


def shown_cells(card: Card, policy: IntakePolicy, custom_types: dict[str, str]) -> dict[str, Cell]:
    """Every owned cell of a card's row, by header, as the sheet should show it."""
    cells = {c.header: field_mapper(c.field, policy.timezone, custom_types)(card) for c in policy.columns}
    cells[policy.key_header] = Cell(card.id)
    cells[policy.link_header] = link_cell(card.url)
    cells[policy.status_header] = text_cell(status_text(card))
    return cells
