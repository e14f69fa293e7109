"""The vocabulary of the pure core: cards, boards, sheet tabs, cell values and a pair's policy."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

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
    note: str | None = None  # a note on the cell, saying why a stakeholder's value was not kept


@dataclass(frozen=True, slots=True)
class Card:
    """One Trello card, with names already resolved from the board."""

    id: str
    name: str = ""
    desc: str = ""
    due: datetime | None = None
    start: datetime | None = None
    due_complete: bool = False
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
class CustomSpec:
    """A board's custom field as two-way cells need it: its id, type and list options (text -> id)."""

    id: str
    kind: str
    options: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The board's names and ids a sheet value is read against (names as the sheet shows them)."""

    lists: dict[str, str] = field(default_factory=dict)  # open list name -> id
    labels: dict[str, str] = field(default_factory=dict)  # label name (its colour when unnamed) -> id
    members: dict[str, str] = field(default_factory=dict)  # shown name (full name, else username) -> id
    usernames: dict[str, str] = field(default_factory=dict)  # username -> shown name
    custom: dict[str, CustomSpec] = field(default_factory=dict)  # custom field name -> spec
    cards: dict[str, str] = field(default_factory=dict)  # card id -> name (for the change log)


@dataclass(frozen=True, slots=True)
class Board:
    """A board snapshot: cards in board order, custom field types by name, and what views colour by."""

    id: str
    name: str
    cards: tuple[Card, ...]
    custom_field_types: dict[str, str] = field(default_factory=dict)
    url: str = ""
    label_colours: dict[str, str] = field(default_factory=dict)  # label name -> Trello colour ("" if none)
    vocabulary: Vocabulary = field(default_factory=Vocabulary)
    list_names: tuple[str, ...] = ()  # open lists, left to right
    custom_options: dict[str, tuple[str, ...]] = field(default_factory=dict)  # list field -> option texts


@dataclass(frozen=True, slots=True)
class Column:
    """One owned column: the header users see and the card field it shows."""

    header: str
    field: str
    two_way: bool = False  # the sheet's edits of this column are written to Trello


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
    title_link: bool = False  # `link: title`: the name cell links to the card
    conflicts: Literal["trello", "sheet"] = "trello"  # who wins a two-way cell both sides changed

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
    vocabulary: Vocabulary = field(default_factory=Vocabulary)  # what two-way cells are read against


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
    # Keys named by a boardsheet.row anchor (app.core.anchors): rows this service wrote, so they stay
    # its own even when a run that deleted the wrong row made the base forget their card.
    anchored: frozenset[str] = frozenset()


# key -> header -> last synced owned value
Base = dict[str, dict[str, CellValue]]
