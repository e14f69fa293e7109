"""What a view shows of a card: its moment in the pair's zone, its title from the template, its colour."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo

from app.core.mapping import CUSTOM_PREFIX
from app.core.model import Board, Card
from app.core.views.palette import Colour, cycled, label_colour

# "{field}" in a title template; "{{" and "}}" are literal braces.
TEMPLATE_FIELD = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    """Zones are cached: a 1,000-card board looks its zone up once."""
    return ZoneInfo(name)


@dataclass(frozen=True, slots=True)
class Moment:
    """When a card happens in the pair's zone: its local day, and its local time unless date-only."""

    day: date
    at: time | None  # None: a date-only card (midnight local, the list tab's rule for a DATE cell)


def card_date(card: Card, source: str) -> datetime | None:
    """The card's date a view places it by: due, start, or a date custom field."""
    if source == "due":
        return card.due
    if source == "start":
        return card.start
    value = card.custom.get(source[len(CUSTOM_PREFIX) :]) if source.startswith(CUSTOM_PREFIX) else None
    return value if isinstance(value, datetime) else None


def moment(value: datetime, timezone: str) -> Moment:
    """`value` in the pair's zone; a local midnight is a date-only card, as the list tab shows it."""
    local = value.astimezone(_zone(timezone)) if value.tzinfo is not None else value
    clock = local.time().replace(tzinfo=None)
    return Moment(local.date(), None if clock == time(0) else clock)


def _field_text(card: Card, field: str, timezone: str) -> str:
    """One template field as text."""
    if field.startswith(CUSTOM_PREFIX):
        value = card.custom.get(field[len(CUSTOM_PREFIX) :])
    else:
        value = {
            "name": card.name,
            "desc": card.desc,
            "due": card.due,
            "start": card.start,
            "lastActivity": card.last_activity,
            "dueComplete": card.due_complete,
            "list": card.list_name,
            "labels": ", ".join(n for n in card.labels if n),
            "members": ", ".join(n for n in card.members if n),
            "checklist": f"{card.checklist_done}/{card.checklist_total}" if card.checklist_total else "",
            "url": card.url,
            "shortUrl": card.short_url,
            "position": card.pos,
            "id": card.id,
        }.get(field)
    if isinstance(value, bool):
        return "✓" if value else ""
    if isinstance(value, datetime):
        found = moment(value, timezone)
        return found.day.isoformat() + ("" if found.at is None else found.at.strftime(" %H:%M"))
    if isinstance(value, float):
        return f"{value:g}"
    return value or ""


def title_of(card: Card, template: str, timezone: str) -> str:
    """The card's title as the template says, on one line."""

    def fill(match: re.Match[str]) -> str:
        if match.group(0) in ("{{", "}}"):
            return match.group(0)[0]
        return _field_text(card, match.group(1).strip(), timezone)

    return " ".join(TEMPLATE_FIELD.sub(fill, template).split()) or "(untitled)"


def colours(board: Board, source: str | None) -> dict[str, Colour]:
    """Value -> colour for every value `source` can take on this board, in the legend's order."""
    if source is None:
        return {}
    if source == "labels":  # the coloured labels cards carry (a new board's unused defaults stay out)
        used = {name for card in board.cards for name in card.labels}
        found = {name: label_colour(colour) for name, colour in board.label_colours.items() if name in used}
        return {name: colour for name, colour in found.items() if colour is not None}
    if source == "list":
        return cycled(board.list_names)
    name = source[len(CUSTOM_PREFIX) :]
    options = board.custom_options.get(name)
    if options is None:  # a text or number field: the values the cards hold, in order
        values = {_field_text(card, source, "UTC") for card in board.cards}
        options = tuple(sorted(value for value in values if value))
    return cycled(options)


def card_colour(card: Card, source: str | None, palette: dict[str, Colour]) -> Colour | None:
    """The card's colour: its first coloured label, its list's, or its custom field value's."""
    if source is None:
        return None
    if source == "labels":
        return next((palette[name] for name in card.labels if name in palette), None)
    key = card.list_name if source == "list" else _field_text(card, source, "UTC")
    return palette.get(key)
