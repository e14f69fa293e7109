"""Card -> typed cells per column field, and the board as the rows the sheet should hold."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from app.core.model import Board, BoardRows, Card, Cell, CustomValue, Policy

MAX_CELL_CHARS = 50_000
CUT_MARKER = " … [cut by boardsheet: too long for a cell]"
SHEETS_EPOCH = datetime(1899, 12, 30)
CUSTOM_PREFIX = "custom:"
DATE_FIELDS = frozenset({"due", "start", "lastActivity"})

Mapper = Callable[[Card], Cell]
_EMPTY = Cell(None)


def text_cell(text: str) -> Cell:
    """Text as a plain string cell (never a formula), cut with a visible marker when too long."""
    if not text:
        return _EMPTY
    if len(text) > MAX_CELL_CHARS:
        text = text[: MAX_CELL_CHARS - len(CUT_MARKER)] + CUT_MARKER
    return Cell(text)


def link_cell(url: str) -> Cell:
    """A clickable link showing the URL itself."""
    return Cell(url, link=url) if url else _EMPTY


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    """ZoneInfo objects are cached so 10,000 cards do not look the zone up 10,000 times."""
    return ZoneInfo(name)


def date_cell(moment: datetime | None, timezone: str) -> Cell:
    """A date serial number (days since 1899-12-30) in the pair's time zone; date-only at midnight."""
    if moment is None:
        return _EMPTY
    if moment.tzinfo is not None:
        moment = moment.astimezone(_zone(timezone)).replace(tzinfo=None)
    serial = (moment - SHEETS_EPOCH).total_seconds() / 86400
    midnight = moment.hour == moment.minute == moment.second == moment.microsecond == 0
    return Cell(serial, number_format="DATE" if midnight else "DATE_TIME")


def custom_cell(value: CustomValue, kind: str, timezone: str) -> Cell:
    """A custom field's value as a typed cell."""
    if isinstance(value, bool) or kind == "checkbox":
        return Cell(bool(value), checkbox=True)
    if isinstance(value, datetime):
        return date_cell(value, timezone)
    if isinstance(value, float):
        return Cell(value)
    return text_cell(value or "")


def _linked(cell: Cell, url: str) -> Cell:
    """The cell as a link to `url` (unchanged when either is empty)."""
    return Cell(cell.value, link=url) if cell.value is not None and url else cell


def _checklist(card: Card) -> Cell:
    """ "done/total", written as text so Sheets never reads it as a date."""
    return Cell(f"{card.checklist_done}/{card.checklist_total}") if card.checklist_total else _EMPTY


def field_mapper(
    field: str, timezone: str, custom_types: dict[str, str], *, title_link: bool = False
) -> Mapper:
    """The function turning a card into the cell of one column field (`title_link`: names link to cards)."""
    if field.startswith(CUSTOM_PREFIX):
        name = field[len(CUSTOM_PREFIX) :]
        kind = custom_types.get(name, "text")
        return lambda c: custom_cell(c.custom.get(name), kind, timezone)
    mappers: dict[str, Mapper] = {
        "id": lambda c: Cell(c.id),
        "name": (lambda c: _linked(text_cell(c.name), c.url)) if title_link else lambda c: text_cell(c.name),
        "desc": lambda c: text_cell(c.desc),
        "due": lambda c: date_cell(c.due, timezone),
        "start": lambda c: date_cell(c.start, timezone),
        "lastActivity": lambda c: date_cell(c.last_activity, timezone),
        "dueComplete": lambda c: Cell(c.due_complete, checkbox=True),
        "list": lambda c: text_cell(c.list_name),
        "labels": lambda c: text_cell(", ".join(n for n in c.labels if n)),
        "members": lambda c: text_cell(", ".join(n for n in c.members if n)),
        "checklist": _checklist,
        "url": lambda c: link_cell(c.url),
        "shortUrl": lambda c: link_cell(c.short_url),
        "position": lambda c: Cell(c.pos),
    }
    if field not in mappers:
        raise ValueError(f"unknown column field {field!r}")
    return mappers[field]


def is_date_field(field: str, custom_types: dict[str, str]) -> bool:
    """True for fields whose cells are dates (the default sort column)."""
    if field.startswith(CUSTOM_PREFIX):
        return custom_types.get(field[len(CUSTOM_PREFIX) :]) == "date"
    return field in DATE_FIELDS


def left_out(card: Card, policy: Policy) -> str | None:
    """Why a card has no row, in people's words ("archived", "not in the lists", "without the labels")."""
    if card.archived and policy.archived == "drop":
        return "archived"
    if policy.lists is not None and card.list_name not in policy.lists:
        return "not in the lists"
    if policy.labels is not None and not set(card.labels) & set(policy.labels):
        return "without the labels"
    return None


def exclusion(card: Card, policy: Policy) -> str | None:
    """Why a card has no row ("archived" or "filtered"), or None when it belongs in the sheet."""
    reason = left_out(card, policy)
    return reason if reason in (None, "archived") else "filtered"


def board_rows(board: Board, policy: Policy) -> BoardRows:
    """Map every card the pair keeps to its owned cells by header."""
    columns = [
        (
            c.header,
            field_mapper(c.field, policy.timezone, board.custom_field_types, title_link=policy.title_link),
        )
        for c in policy.owned_columns()
    ]
    rows: dict[str, dict[str, Cell]] = {}
    excluded: dict[str, str] = {}
    for card in board.cards:
        reason = exclusion(card, policy)
        if reason is not None:
            excluded[card.id] = reason
            continue
        rows[card.id] = {header: mapper(card) for header, mapper in columns}
    dates = tuple(
        c.header for c in policy.owned_columns() if is_date_field(c.field, board.custom_field_types)
    )
    return BoardRows(
        rows=rows,
        excluded=excluded,
        card_count=len(board.cards),
        date_headers=dates,
        vocabulary=board.vocabulary,
    )
