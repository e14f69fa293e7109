"""The Ideas intake tab (pure): its rows -> cards to create, cells and notes to write, two-way edits.

A row with a name and no card id becomes one card. Exactly once: the shell notes an `Intent` (keyed by
the row's `row_key`) before the POST and its card id after it; a later run that finds the intent writes
the row instead of creating again, and an intent without a card id adopts the card the board read shows
(same name, created at or after the intent; Trello ids begin with their creation time in unix seconds:
https://support.atlassian.com/trello/docs/getting-the-time-a-card-or-board-was-created/).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from app.core.engine import layout
from app.core.mapping import field_mapper, link_cell, text_cell
from app.core.merge import merge_row, same
from app.core.model import Board, Card, Cell, CellValue, Column, Policy, SheetTab, SheetValue
from app.core.plan import CustomItem, SheetEvent, TrelloWrite
from app.core.sheet_values import Accepted, _text, read_cell

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


def _cell(row: Sequence[SheetValue], index: int) -> SheetValue:
    return row[index] if index < len(row) else None


def plan_intake(
    tab: SheetTab,
    board: Board,
    policy: IntakePolicy,
    intents: Sequence[Intent],
    notes: Mapping[tuple[int, int], str] = {},
    anchors: Mapping[int, str] = {},
) -> IntakePlan:
    """Plan the intake tab: header, created and resolved rows, two-way merges, notes on invalid cells.

    `notes` are the cells' notes as read ((grid row, column) -> text), `anchors` each row's
    `boardsheet.row` metadata (grid row -> card id), which stands in for a cleared Card ID cell.
    """
    columns, fixes = layout(tab, policy.owned())
    list_id = board.vocabulary.lists.get(policy.list_name, "")
    work = _Work(policy, board, columns, {i.row_key: i for i in intents}, notes)
    work.cells += [CellWrite(0, fix.column, text_cell(fix.header)) for fix in fixes if fix.write_header]
    work.claimed = {i.card_id for i in intents if i.card_id} | _keys(tab, columns[policy.key_header], anchors)
    repeats: dict[str, int] = {}
    for index, row in enumerate(tab.rows):
        grid = index + 1
        key = _text(_cell(row, columns[policy.key_header])) or anchors.get(grid, "")
        if key:
            work.keyed(grid, key, row, key != _text(_cell(row, columns[policy.key_header])))
            continue
        name = _text(_cell(row, columns[policy.columns[_name_at(policy)].header]))
        if name:
            occurrence = repeats.get(" ".join(name.split()).casefold(), 0)
            repeats[" ".join(name.split()).casefold()] = occurrence + 1
            work.unkeyed(grid, row_key(name, occurrence), name, row)
    return IntakePlan(
        tab.sheet_id, columns, list_id, policy.list_name, tuple(work.cells), tuple(work.notes),
        tuple(work.creates), work.resolved, work.resolved_rows, work.shown, tuple(work.trello),
        tuple(work.events), work.bases,
    )  # fmt: skip


def _name_at(policy: IntakePolicy) -> int:
    return next(i for i, c in enumerate(policy.columns) if c.field == "name")


def _keys(tab: SheetTab, key_column: int, anchors: Mapping[int, str]) -> set[str]:
    """Every card id the tab shows (key cells and anchors): cards already claimed by a row."""
    keys = {_text(_cell(row, key_column)) for row in tab.rows} | set(anchors.values())
    return keys - {""}


class _Work:
    """The plan being built, row by row."""

    def __init__(
        self,
        policy: IntakePolicy,
        board: Board,
        columns: dict[str, int],
        intents: dict[str, Intent],
        notes: Mapping[tuple[int, int], str],
    ) -> None:
        self.policy, self.board, self.columns, self.intents, self.read_notes = (
            policy,
            board,
            columns,
            intents,
            notes,
        )
        self.cards = {card.id: card for card in board.cards}
        self.bases_by_card = {i.card_id: i.base for i in intents.values() if i.card_id}
        self.merge_policy = Policy(policy.columns, timezone=policy.timezone, conflicts=policy.conflicts)
        self.cells: list[CellWrite] = []
        self.notes: list[NoteWrite] = []
        self.creates: list[NewCard] = []
        self.resolved: dict[str, Card | str] = {}
        self.resolved_rows: dict[str, int] = {}
        self.shown: dict[str, tuple[CellWrite, ...]] = {}
        self.trello: list[TrelloWrite] = []
        self.events: list[SheetEvent] = []
        self.bases: dict[str, dict[str, CellValue]] = {}
        self.claimed: set[str] = set()
        self.seen: set[str] = set()

    def keyed(self, grid: int, key: str, row: Sequence[SheetValue], from_anchor: bool) -> None:
        """A row showing its card: merge its mapped cells, refresh id, link and list."""
        if key in self.seen:
            return  # a copied row: the first one is the card's
        self.seen.add(key)
        card = self.cards.get(key)
        status = self.columns[self.policy.status_header]
        if card is None:
            if not same(_cell(row, status), DELETED):
                self.cells.append(CellWrite(grid, status, text_cell(DELETED)))
            return
        wanted = shown_cells(card, self.policy, self.board.custom_field_types)
        own = {self.policy.key_header, self.policy.link_header, self.policy.status_header}
        placed = [
            (Column(c.header, c.field, two_way=c.header not in own), self.columns[c.header])
            for c in self.policy.owned()
        ]
        base = self.bases_by_card.get(key)
        merged = merge_row(key, row, wanted, placed, base, self.merge_policy, self.board.vocabulary)
        self.cells += [CellWrite(grid, c.column, c.after) for c in merged.changes]
        self.clear_notes(grid)
        if from_anchor and not any(c.column == self.columns[self.policy.key_header] for c in merged.changes):
            self.cells.append(CellWrite(grid, self.columns[self.policy.key_header], Cell(key)))
        self.trello += [merged.write] if merged.write is not None else []
        self.events += merged.events
        if merged.base != base:
            self.bases[key] = merged.base

    def unkeyed(self, grid: int, key: str, name: str, row: Sequence[SheetValue]) -> None:
        """A row with an idea and no card: notes on invalid cells, else resolve its intent or create."""
        put: dict[str, Any] = {}
        custom: list[CustomItem] = []
        base: dict[str, CellValue] = {}
        shown: list[CellWrite] = []
        valid = True
        for column in self.policy.columns:
            index = self.columns[column.header]
            value = _cell(row, index)
            if value is None or value == "":
                continue
            reading = read_cell(column.field, value, self.board.vocabulary, self.policy.timezone)
            if isinstance(reading, Accepted):
                put.update(reading.put)
                custom += [reading.custom] if reading.custom is not None else []
                base[column.header] = reading.cell.value
                if not same(value, reading.cell.value):
                    shown.append(CellWrite(grid, index, reading.cell))
                self.set_note(grid, index, "")
            else:
                valid = False
                self.set_note(grid, index, f"{NOTE_PREFIX}not created yet: {reading.reason}.")
        status = self.columns[self.policy.status_header]
        if not valid:
            if not same(_cell(row, status), WAITING):
                self.cells.append(CellWrite(grid, status, text_cell(WAITING)))
            return
        self.shown[key] = tuple(shown)
        self.resolve(grid, key, name, put, tuple(custom), base)

    def resolve(
        self,
        grid: int,
        key: str,
        name: str,
        put: dict[str, Any],
        custom: tuple[CustomItem, ...],
        base: dict[str, CellValue],
    ) -> None:
        """The intent's card when a run already made it (or the board shows it), else a card to create."""
        intent = self.intents.get(key)
        card_id = None if intent is None or intent.done else intent.card_id or self.adoptable(intent)
        if card_id is not None:
            self.claimed.add(card_id)
            self.resolved[key] = self.cards.get(card_id, card_id)
            self.resolved_rows[key] = grid
            return
        put.pop("name", None)
        self.creates.append(NewCard(grid, key, name, put, custom, base))

    def adoptable(self, intent: Intent) -> str | None:
        """The card a run created for `intent` before it could note the card's id: the same name, made
        at or after the intent, not shown by any row or noted by another intent."""
        since = intent.noted_at.timestamp() - CLOCK_SLACK_SECONDS
        for card in self.board.cards:
            made = created_at(card.id)
            if (
                card.name == intent.name
                and card.id not in self.claimed
                and made is not None
                and made >= since
            ):
                return card.id
        return None

    def set_note(self, grid: int, column: int, note: str) -> None:
        """Set our note on a cell, or remove our earlier one (`note` empty); never touch another's note."""
        current = self.read_notes.get((grid, column), "")
        if note and current != note:
            self.notes.append(NoteWrite(grid, column, note))
        elif not note and current.startswith(NOTE_PREFIX):
            self.notes.append(NoteWrite(grid, column, ""))

    def clear_notes(self, grid: int) -> None:
        """Remove the notes we left on a row's mapped cells while it waited to be fixed."""
        for column in self.policy.columns:
            self.set_note(grid, self.columns[column.header], "")
