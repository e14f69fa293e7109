"""The plan: what one run writes, JSON-serialisable so a held plan can wait for approval."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from app.core.model import Base, Cell, CellValue, Formula, SheetValue


@dataclass(frozen=True, slots=True)
class HeaderFix:
    """Write an owned column's header text and/or tag the column with its field."""

    column: int
    header: str
    field: str
    write_header: bool
    tag: bool


@dataclass(frozen=True, slots=True)
class CellChange:
    """One owned cell changing; `edited` is True when a stakeholder had changed it since the base."""

    column: int
    before: SheetValue
    after: Cell
    edited: bool = False
    header: str = ""  # the owned column's header, for people reading the plan


@dataclass(frozen=True, slots=True)
class UpdateRow:
    """Exactly the changed owned cells of one row (`row` is the 0-based grid row)."""

    row: int
    key: str
    changes: tuple[CellChange, ...]


@dataclass(frozen=True, slots=True)
class AppendRow:
    """A new row for a card: its owned cells by column index."""

    key: str
    cells: tuple[tuple[int, Cell], ...]


@dataclass(frozen=True, slots=True)
class DeleteRow:
    """Remove a row: the card was "deleted", "archived" or "filtered" out."""

    row: int
    key: str
    reason: str


@dataclass(frozen=True, slots=True)
class SortRows:
    """Sort the data rows (grid rows 1 .. end_row-1) by (column, ascending) specs."""

    specs: tuple[tuple[int, bool], ...]
    end_row: int


@dataclass(frozen=True, slots=True)
class CustomItem:
    """One custom-field item write: PUT /1/cards/{id}/customField/{field_id}/item; neither value: clear."""

    field_id: str
    value: dict[str, str] | None = (
        None  # {"text": ...}, {"number": "2.5"}, {"date": ISO}, {"checked": "true"}
    )
    id_value: str | None = None  # a list field's option id


@dataclass(frozen=True, slots=True)
class TrelloWrite:
    """One card's writes: ONE PUT /1/cards/{id} with every changed standard field, then its custom items.

    `base` holds the cells (header -> value) the base takes once the writes are applied.
    """

    key: str
    put: dict[str, Any]
    custom: tuple[CustomItem, ...] = ()
    base: dict[str, CellValue] = field(default_factory=dict)
    fields: tuple[str, ...] = ()  # the card fields written (name, list, due, custom:X, ...)


EventKind = Literal["edit", "rejected", "overridden", "restored"]


@dataclass(frozen=True, slots=True)
class SheetEvent:
    """The sheet's side for the change log: an accepted edit, a rejected or overridden value, a row
    written back. `before` is the value kept or replaced, `after` the sheet's value; fields as Trello's."""

    kind: EventKind
    key: str
    field: str
    before: str | None = None
    after: str | None = None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Plan:
    """Every action of one run, in apply order, plus the base it leaves behind."""

    sheet_id: int
    column_count: int  # the grid's columns when read (to grow it before writing further right)
    headers: tuple[HeaderFix, ...] = ()
    updates: tuple[UpdateRow, ...] = ()
    deletes: tuple[DeleteRow, ...] = ()  # descending row order
    appends: tuple[AppendRow, ...] = ()
    sort: SortRows | None = None
    format_header: bool = False
    base: Base = field(default_factory=dict)
    # Empty rows to add before the deletes: Sheets refuses a batch that deletes every non-frozen row.
    spare_rows: int = 0
    trello: tuple[TrelloWrite, ...] = ()  # two-way cells' writes, applied before the sheet's batch
    events: tuple[SheetEvent, ...] = ()  # for the change log

    @property
    def empty(self) -> bool:
        """True when the plan writes nothing."""
        return not (self.headers or self.updates or self.deletes or self.appends or self.sort) and not (
            self.format_header or self.trello
        )

    def summary(self) -> dict[str, int]:
        """Counts for logs, the CLI and the run history."""
        return {
            "rows_added": len(self.appends),
            "rows_removed": len(self.deletes),
            "rows_updated": len(self.updates),
            "cells_changed": sum(len(u.changes) for u in self.updates),
            # Owned cells a stakeholder had edited since the last sync: Trello wins, so say it aloud.
            "edits_reverted": sum(c.edited for u in self.updates for c in u.changes),
            "headers_repaired": len(self.headers),
            "sorted": int(self.sort is not None),
            "trello_writes": len(self.trello),
            # Two-way cells whose sheet value Trello did not get (rejected, or a conflict Trello won).
            "sheet_values_kept_out": len(self.kept_out()),
        }

    def kept_out(self) -> list[SheetEvent]:
        """The events of two-way sheet values not written to Trello: rejected, or lost to Trello."""
        written = {(e.key, e.field) for e in self.events if e.kind == "edit"}
        return [
            e
            for e in self.events
            if e.kind == "rejected" or (e.kind == "overridden" and (e.key, e.field) not in written)
        ]

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (Formula values become {"formula": text})."""
        data = asdict(self)
        for update in data["updates"]:
            for change in update["changes"]:
                if isinstance(change["before"], dict):
                    change["before"] = {"formula": change["before"]["text"]}
        return data


def _before(raw: Any) -> SheetValue:
    """Decode a JSON `before` value."""
    if isinstance(raw, dict):
        return Formula(str(raw["formula"]))
    value: CellValue = raw
    return value


def plan_from_json(data: dict[str, Any]) -> Plan:
    """Rebuild a Plan from Plan.to_json() output."""
    sort = data.get("sort")
    return Plan(
        sheet_id=data["sheet_id"],
        column_count=data["column_count"],
        headers=tuple(HeaderFix(**h) for h in data["headers"]),
        updates=tuple(
            UpdateRow(
                u["row"],
                u["key"],
                tuple(
                    CellChange(
                        c["column"], _before(c["before"]), Cell(**c["after"]), c["edited"], c["header"]
                    )
                    for c in u["changes"]
                ),
            )
            for u in data["updates"]
        ),
        deletes=tuple(DeleteRow(**d) for d in data["deletes"]),
        appends=tuple(
            AppendRow(a["key"], tuple((i, Cell(**c)) for i, c in a["cells"])) for a in data["appends"]
        ),
        sort=None if sort is None else SortRows(tuple((i, asc) for i, asc in sort["specs"]), sort["end_row"]),
        format_header=data["format_header"],
        base=data["base"],
        spare_rows=int(data.get("spare_rows", 0)),
        trello=tuple(
            TrelloWrite(
                w["key"], w["put"], tuple(CustomItem(**c) for c in w["custom"]), w["base"], tuple(w["fields"])
            )
            for w in data.get("trello", ())
        ),
        events=tuple(SheetEvent(**e) for e in data.get("events", ())),
    )
