"""The intake tab's planner (pure): rows -> header, cards to create, intents resolved, merges, notes.

See app/core/ideas.py for the vocabulary and the exactly-once design.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from app.core.engine import layout
from app.core.ideas import (
    CLOCK_SLACK_SECONDS,
    DELETED,
    NOTE_PREFIX,
    WAITING,
    CellWrite,
    IntakePlan,
    IntakePolicy,
    Intent,
    NewCard,
    NoteWrite,
    created_at,
    row_key,
    shown_cells,
)
from app.core.mapping import text_cell
from app.core.merge import merge_row, same
from app.core.model import Board, Card, Cell, CellValue, Column, Policy, SheetTab, SheetValue
from app.core.plan import CustomItem, SheetEvent, TrelloWrite
from app.core.sheet_values import Accepted, _text, read_cell

__all__ = ["plan_intake"]


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
