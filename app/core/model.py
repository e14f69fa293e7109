"""The vocabulary of the pure core: cards, boards, sheet tabs, cell values and a pair's policy."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

KEY_FIELD = "id"
DEFAULT_KEY_HEADER = "Card ID"


@dataclass(frozen=True, slots=True)
class Formula:
    """A formula read back from the sheet (we never write one)."""

    text: str


# What a cell holds once decoded; the base and plans only ever hold the JSON scalars.
CellValue = str | float | bool | None
SheetValue = str | float | bool | Formula | None
CustomValue = str | float | bool | datetime | None
NumberFormatType = Literal["DATE", "DATE_TIME"]


@dataclass(frozen=True, slots=True)
class Cell:
    """A typed cell to write: its value plus the few formats the sync owns."""

    value: CellValue
    number_format: NumberFormatType | None = None
    link: str | None = None
    checkbox: bool = False


@dataclass(frozen=True, slots=True)
class Card:
    """One Trello card, with names already resolved from the board."""

    id: str
    name: str = ""
    desc: str = ""
    due: datetime | None = None
    start: datetime | None = None
    due_complete: bool = False
    id_list: str = ""
    list_name: str = ""
    list_closed: bool = False
    labels: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    custom: dict[str, CustomValue] = field(default_factory=dict)
    checklist_done: int = 0
    checklist_total: int = 0
    url: str = ""
    short_url: str = ""
    last_activity: datetime | None = None
    pos: float = 0.0
    closed: bool = False

    @property
    def archived(self) -> bool:
        """True when the card or its list is archived."""
        return self.closed or self.list_closed


@dataclass(frozen=True, slots=True)
class Board:
    """A board snapshot: its cards in board order and the custom field types by name."""

    id: str
    name: str
    cards: tuple[Card, ...]
    custom_field_types: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Column:
    """One owned column: the header users see and the card field it shows."""

    header: str
    field: str


@dataclass(frozen=True, slots=True)
class Percent:
    """A share of the sheet's rows, e.g. Percent(25) for "25%"."""

    value: float


@dataclass(frozen=True, slots=True)
class Policy:
    """What the pure core needs from a pair's configuration."""

    columns: tuple[Column, ...]
    key_header: str = DEFAULT_KEY_HEADER
    timezone: str = "UTC"
    archived: Literal["drop", "keep"] = "drop"
    lists: tuple[str, ...] | None = None
    labels: tuple[str, ...] | None = None
    # Headers or fields, "-" prefix for descending; empty means the first date column then position.
    sort_by: tuple[str, ...] = ()
    max_deletes: int | Percent = Percent(25)
    allow_mass_delete: bool = False

    def owned_columns(self) -> tuple[Column, ...]:
        """The configured columns plus the key column (appended unless configured)."""
        if any(c.header == self.key_header for c in self.columns):
            return self.columns
        return (*self.columns, Column(self.key_header, KEY_FIELD))

    def delete_limit(self, rows: int) -> int:
        """How many of `rows` keyed rows one run may delete."""
        if isinstance(self.max_deletes, Percent):
            return max(1, math.ceil(rows * self.max_deletes.value / 100))
        return self.max_deletes


@dataclass(frozen=True, slots=True)
class BoardRows:
    """The board as rows: wanted rows by key, and why other cards are left out."""

    rows: dict[str, dict[str, Cell]]
    excluded: dict[str, str]  # key -> "archived" | "filtered"
    card_count: int
    date_headers: tuple[str, ...] = ()  # owned headers holding dates, in column order


@dataclass(frozen=True, slots=True)
class SheetTab:
    """A tab as read: headers, column tags, and data rows (row i lives at grid row i + 1)."""

    sheet_id: int
    headers: tuple[str, ...]
    column_tags: tuple[str | None, ...]  # developer metadata boardsheet.column per column
    rows: tuple[tuple[SheetValue, ...], ...]
    row_count: int = 1000
    column_count: int = 26
    frozen_rows: int = 0


# key -> header -> last synced owned value
Base = dict[str, dict[str, CellValue]]


def _date(raw: Any) -> datetime | None:
    """Parse Trello's ISO 8601 timestamps ("2020-04-17T04:00:00.000Z"); None when absent or unreadable."""
    if not isinstance(raw, str) or not raw:
        return None
    try:
        return datetime.fromisoformat(raw)
    except ValueError:
        return None


def _custom_value(kind: str, item: Mapping[str, Any], options: Mapping[str, str]) -> CustomValue:
    """One customFieldItem's value; Trello sends numbers and checkboxes as strings."""
    if item.get("idValue"):
        return options.get(str(item["idValue"]))
    value = item.get("value") or {}
    if kind == "number":
        try:
            number = float(value.get("number", ""))
        except ValueError:
            return None
        return number if math.isfinite(number) else None  # Sheets and JSON reject inf and NaN
    if kind == "checkbox":
        return str(value.get("checked", "")).lower() == "true"
    if kind == "date":
        return _date(value.get("date"))
    text = value.get("text")
    return None if text is None else str(text)


def _checklists(data: Mapping[str, Any]) -> dict[str, tuple[int, int]]:
    """Checklist items done and total per card id."""
    counts: dict[str, tuple[int, int]] = {}
    for checklist in data.get("checklists") or []:
        items = checklist.get("checkItems") or []
        done = sum(1 for item in items if item.get("state") == "complete")
        old_done, old_total = counts.get(checklist.get("idCard", ""), (0, 0))
        counts[checklist.get("idCard", "")] = (old_done + done, old_total + len(items))
    return counts


def board_from_json(data: Mapping[str, Any]) -> Board:
    """Parse the nested board JSON of GET /1/boards/{id}?cards=all&lists=all&...&checklists=all."""
    lists = {item["id"]: item for item in data.get("lists") or []}
    labels = {item["id"]: item.get("name") or item.get("color") or "" for item in data.get("labels") or []}
    members = {m["id"]: m.get("fullName") or m.get("username") or "" for m in data.get("members") or []}
    fields = {f["id"]: f for f in data.get("customFields") or []}
    options = {
        o["id"]: str((o.get("value") or {}).get("text", ""))
        for f in fields.values()
        for o in f.get("options") or []
    }
    checklists = _checklists(data)
    cards = []
    for raw in data.get("cards") or []:
        custom: dict[str, CustomValue] = {
            f["name"]: False for f in fields.values() if f.get("type") == "checkbox"
        }
        for item in raw.get("customFieldItems") or []:
            spec = fields.get(item.get("idCustomField", ""))
            if spec is not None:
                custom[spec["name"]] = _custom_value(spec.get("type", "text"), item, options)
        badges = raw.get("badges") or {}
        done, total = checklists.get(
            raw["id"], (int(badges.get("checkItemsChecked", 0)), int(badges.get("checkItems", 0)))
        )
        a_list = lists.get(raw.get("idList", ""), {})
        label_names = [labels.get(i, "") for i in raw.get("idLabels") or []] or [
            label.get("name") or label.get("color") or "" for label in raw.get("labels") or []
        ]
        cards.append(
            Card(
                id=raw["id"],
                name=raw.get("name") or "",
                desc=raw.get("desc") or "",
                due=_date(raw.get("due")),
                start=_date(raw.get("start")),
                due_complete=bool(raw.get("dueComplete")),
                id_list=raw.get("idList") or "",
                list_name=a_list.get("name", ""),
                list_closed=bool(a_list.get("closed")),
                labels=tuple(label_names),
                members=tuple(members.get(i, "") for i in raw.get("idMembers") or []),
                custom=custom,
                checklist_done=done,
                checklist_total=total,
                url=raw.get("url") or "",
                short_url=raw.get("shortUrl") or "",
                last_activity=_date(raw.get("dateLastActivity")),
                pos=float(raw.get("pos") or 0),
                closed=bool(raw.get("closed")),
            )
        )
    types = {f["name"]: str(f.get("type", "text")) for f in fields.values()}
    return Board(
        id=str(data.get("id", "")),
        name=str(data.get("name", "")),
        cards=tuple(cards),
        custom_field_types=types,
    )
