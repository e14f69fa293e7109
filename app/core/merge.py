"""Two-way columns: the three-way merge of the base b, Trello's value t and the sheet's value s (pure).

Per cell: s = t: nothing; s = b != t: Trello changed, the sheet follows; t = b != s: the sheet changed,
the value is read as the field's type and written to Trello, or (when Trello cannot take it) the cell
gets t back with a note; both changed: the pair's `conflicts` policy decides. Every value a person typed
that is not kept ends in an event for the change log and a note on its cell.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from app.core.mapping import CUSTOM_PREFIX
from app.core.model import Cell, CellValue, Column, Policy, SheetValue, Vocabulary
from app.core.plan import CellChange, CustomItem, SheetEvent, TrelloWrite
from app.core.sheet_values import Accepted, Rejected, _text, moment_of, read_cell, trello_time


@dataclass(frozen=True, slots=True)
class RowMerge:
    """One row's outcome: the sheet's cell changes, the card's write (if any), events and the new base."""

    changes: tuple[CellChange, ...]
    write: TrelloWrite | None
    events: tuple[SheetEvent, ...]
    base: dict[str, CellValue]


def same(actual: SheetValue, wanted: CellValue) -> bool:
    """Typed equality: True is not 1.0, and a formula never equals its text."""
    return actual is wanted or (type(actual) is type(wanted) and actual == wanted)


def _equivalent(field_name: str, a: CellValue, b: CellValue) -> bool:
    """Equal for Trello: labels and members in any order."""
    if field_name in ("labels", "members") and isinstance(a, str) and isinstance(b, str):
        return sorted(a.split(", ")) == sorted(b.split(", "))
    return same(a, b)


def value_text(field_name: str, value: SheetValue, vocabulary: Vocabulary, timezone: str) -> str | None:
    """A cell's value as the change log keeps it: dates as Trello's ISO timestamps, else the text."""
    if value is None or value == "":
        return None
    custom = vocabulary.custom.get(field_name.removeprefix(CUSTOM_PREFIX))
    is_date = field_name in ("due", "start") or (
        field_name.startswith(CUSTOM_PREFIX) and custom is not None and custom.kind == "date"
    )
    if is_date and isinstance(value, float):
        moment = moment_of(value, timezone)
        if moment is not None and not isinstance(moment, Rejected):
            return trello_time(moment)
    if isinstance(value, bool) and (field_name == "dueComplete" or field_name.startswith(CUSTOM_PREFIX)):
        return "true" if value else "false"
    return _text(value)


@dataclass(frozen=True, slots=True)
class _Cell:
    """One two-way cell's outcome."""

    shown: Cell  # what the sheet shows afterwards
    base: CellValue
    edited: bool = False  # a stakeholder's value is replaced
    accepted: Accepted | None = None
    events: tuple[SheetEvent, ...] = ()


def merge_cell(
    key: str, column: Column, s: SheetValue, t: Cell, b: CellValue, policy: Policy, vocabulary: Vocabulary
) -> _Cell:
    """The three-way rule for one two-way cell that has a base."""
    if same(s, t.value) or same(s, b):  # agreed, or only Trello changed: the sheet shows Trello
        return _Cell(t, t.value)
    reading = read_cell(column.field, s, vocabulary, policy.timezone)
    if isinstance(reading, Accepted) and _equivalent(column.field, reading.cell.value, t.value):
        return _Cell(t, t.value)  # the same value typed another way: show it Trello's way, write nothing

    def text(value: SheetValue) -> str | None:
        return value_text(column.field, value, vocabulary, policy.timezone)

    trello_changed = not same(t.value, b)
    if trello_changed and policy.conflicts == "trello":
        note = (
            f"Changed in Trello and in the sheet since the last sync; Trello's value was kept"
            f" (conflicts: trello). The sheet's value '{_text(s)}' is in the change log."
        )
        event = SheetEvent("overridden", key, column.field, text(t.value), text(s), "conflict: Trello won")
        return _Cell(replace(t, note=note), t.value, edited=True, events=(event,))
    if isinstance(reading, Rejected):
        note = (
            f"Not written to Trello: {reading.reason}. The sheet's value '{_text(s)}' is in the change log;"
            " the cell shows Trello's value again."
        )
        event = SheetEvent("rejected", key, column.field, text(t.value), text(s), reading.reason)
        return _Cell(replace(t, note=note), t.value, edited=True, events=(event,))
    shown = replace(reading.cell, link=t.link) if t.link and reading.cell.value is not None else reading.cell
    events = [SheetEvent("edit", key, column.field, text(t.value), text(reading.cell.value))]
    if trello_changed:
        shown = replace(
            shown,
            note=f"Changed in Trello and in the sheet since the last sync; the sheet's value was kept"
            f" (conflicts: sheet). Trello's value '{_text(t.value)}' is in the change log.",
        )
        events.append(
            SheetEvent(
                "overridden",
                key,
                column.field,
                text(reading.cell.value),
                text(t.value),
                "conflict: the sheet won",
            )
        )
    return _Cell(shown, reading.cell.value, accepted=reading, events=tuple(events))


def merge_row(
    key: str,
    row: Sequence[SheetValue],
    wanted: Mapping[str, Cell],
    columns: Sequence[tuple[Column, int]],
    base: Mapping[str, CellValue] | None,
    policy: Policy,
    vocabulary: Vocabulary,
) -> RowMerge:
    """One row: one-way cells take Trello's value (flagged `edited` against the base), two-way cells merge."""
    changes: list[CellChange] = []
    events: list[SheetEvent] = []
    put: dict[str, Any] = {}
    custom: list[CustomItem] = []
    new_base = {header: cell.value for header, cell in wanted.items()}
    applied: dict[str, CellValue] = {}
    fields: list[str] = []
    for column, index in columns:
        s = row[index] if index < len(row) else None
        t = wanted[column.header]
        if not column.two_way or base is None or column.header not in base:
            if not same(s, t.value):
                edited = base is not None and not same(s, base.get(column.header))
                changes.append(CellChange(index, s, t, edited, column.header))
            continue
        out = merge_cell(key, column, s, t, base[column.header], policy, vocabulary)
        if not same(s, out.shown.value) or out.shown.note is not None:
            changes.append(CellChange(index, s, out.shown, out.edited, column.header))
        events.extend(out.events)
        new_base[column.header] = out.base
        if out.accepted is not None:
            applied[column.header] = out.base
            fields.append(column.field)
            put.update(out.accepted.put)
            custom.extend([out.accepted.custom] if out.accepted.custom is not None else [])
    write = TrelloWrite(key, put, tuple(custom), applied, tuple(fields)) if put or custom else None
    return RowMerge(tuple(changes), write, tuple(events), new_base)
