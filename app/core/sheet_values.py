"""A two-way cell as a stakeholder left it -> the value Trello takes (`Accepted`), or why not (`Rejected`).

Pure: the board's names and ids come in a `Vocabulary`, dates are read in the pair's time zone.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from app.core.mapping import CUSTOM_PREFIX, SHEETS_EPOCH, _zone, custom_cell, date_cell, text_cell
from app.core.model import Cell, CustomSpec, Formula, SheetValue, Vocabulary
from app.core.plan import CustomItem

_DATE_FORMATS = ("%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")
_TRUE = frozenset({"true", "yes", "y", "x", "1", "✓", "done"})
_FALSE = frozenset({"false", "no", "n", "0", ""})


@dataclass(frozen=True, slots=True)
class Accepted:
    """A value Trello takes: the cell it maps back to, and the write that sets it."""

    cell: Cell
    put: dict[str, Any]  # PUT /1/cards/{id} parameters (name, desc, due, start, dueComplete, idList, ...)
    custom: CustomItem | None = None


@dataclass(frozen=True, slots=True)
class Rejected:
    """A value Trello cannot take, and why, in people's words."""

    reason: str


Reading = Accepted | Rejected


def _text(value: SheetValue) -> str:
    """A cell as the text a person typed (a number typed in a text column comes back as a number)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, Formula):
        return value.text
    return value.strip()


def _lookup(word: str, names: Mapping[str, str]) -> str | None:
    """The name in `names` that `word` means: the same text, else the same text ignoring case."""
    if word in names:
        return word
    folded = {name.casefold(): name for name in reversed(list(names))}
    return folded.get(word.casefold())


def moment_of(value: SheetValue, timezone: str) -> datetime | Rejected | None:
    """A date cell (serial number) or text (2026-12-24, 2026-12-24 14:30) as an aware moment in `timezone`."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float) and math.isfinite(value) and 0 < value < 2_958_466:  # Sheets' range
        naive = SHEETS_EPOCH + timedelta(minutes=round(value * 1440))
        return naive.replace(tzinfo=_zone(timezone))
    if isinstance(value, str):
        for pattern in _DATE_FORMATS:
            try:
                return datetime.strptime(value.strip(), pattern).replace(tzinfo=_zone(timezone))
            except ValueError:
                continue
    return Rejected(f"'{_text(value)}' is not a date; type it as 2026-12-24 or 2026-12-24 14:30")


def trello_time(moment: datetime) -> str:
    """A moment as Trello writes dates: UTC, milliseconds, Z (e.g. 2026-12-24T13:30:00.000Z)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _checked(value: SheetValue) -> bool | Rejected:
    """A checkbox cell, or TRUE/FALSE, yes/no typed as text."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value in (0.0, 1.0):
        return value == 1.0
    word = _text(value).casefold()
    if word in _TRUE or word in _FALSE:
        return word in _TRUE
    return Rejected(f"'{_text(value)}' is not a checkbox value; use TRUE or FALSE")


def _number(value: SheetValue) -> float | Rejected | None:
    """A number cell, or a number typed as text."""
    if value is None or value == "":
        return None
    try:
        number = value if isinstance(value, float) else float(_text(value))
    except ValueError:
        number = math.nan
    if isinstance(value, bool) or not math.isfinite(number):
        return Rejected(f"'{_text(value)}' is not a number")
    return number


def _names(value: SheetValue, names: Mapping[str, str], aliases: Mapping[str, str], what: str) -> Reading:
    """Comma-separated names -> (shown names, ids); an unknown name rejects the whole cell."""
    shown: list[str] = []
    for word in (w.strip() for w in _text(value).split(",")):
        if not word:
            continue
        name = _lookup(word, names) or aliases.get(_lookup(word, aliases) or "")
        if name is None:
            return Rejected(f"the board has no {what} '{word}'")
        if name not in shown:
            shown.append(name)
    return Accepted(text_cell(", ".join(shown)), {"ids": ",".join(names[n] for n in shown)})


def _date_field(key: str, value: SheetValue, timezone: str) -> Reading:
    moment = moment_of(value, timezone)
    if isinstance(moment, Rejected):
        return moment
    return Accepted(date_cell(moment, timezone), {key: None if moment is None else trello_time(moment)})


def _checkbox(value: SheetValue) -> Cell | Rejected:
    """A checkbox cell's reading."""
    checked = _checked(value)
    return checked if isinstance(checked, Rejected) else Cell(checked, checkbox=True)


def _due_complete(value: SheetValue, _vocabulary: Vocabulary, _timezone: str) -> Reading:
    cell = _checkbox(value)
    return cell if isinstance(cell, Rejected) else Accepted(cell, {"dueComplete": cell.value})


def _title(value: SheetValue, _vocabulary: Vocabulary, _timezone: str) -> Reading:
    text = _text(value)
    return Accepted(text_cell(text), {"name": text}) if text else Rejected("a card needs a title")


def _desc(value: SheetValue, _vocabulary: Vocabulary, _timezone: str) -> Reading:
    return Accepted(text_cell(_text(value)), {"desc": _text(value)})


def _list(value: SheetValue, vocabulary: Vocabulary, _timezone: str) -> Reading:
    text = _text(value)
    name = _lookup(text, vocabulary.lists)
    if name is None:
        return Rejected(f"the board has no open list '{text}'" if text else "a card needs a list")
    return Accepted(text_cell(name), {"idList": vocabulary.lists[name]})


def _labels(value: SheetValue, vocabulary: Vocabulary, _timezone: str) -> Reading:
    reading = _names(value, vocabulary.labels, {}, "label")
    return (
        reading if isinstance(reading, Rejected) else Accepted(reading.cell, {"idLabels": reading.put["ids"]})
    )


def _members(value: SheetValue, vocabulary: Vocabulary, _timezone: str) -> Reading:
    reading = _names(value, vocabulary.members, vocabulary.usernames, "member")
    return (
        reading
        if isinstance(reading, Rejected)
        else Accepted(reading.cell, {"idMembers": reading.put["ids"]})
    )


_STANDARD = {
    "name": _title,
    "desc": _desc,
    "due": lambda value, _v, timezone: _date_field("due", value, timezone),
    "start": lambda value, _v, timezone: _date_field("start", value, timezone),
    "dueComplete": _due_complete,
    "list": _list,
    "labels": _labels,
    "members": _members,
}


def _custom_checkbox(spec: CustomSpec, value: SheetValue, _timezone: str) -> Reading:
    cell = _checkbox(value)
    if isinstance(cell, Rejected):
        return cell
    return Accepted(cell, {}, CustomItem(spec.id, {"checked": "true"} if cell.value else None))


def _custom_date(spec: CustomSpec, value: SheetValue, timezone: str) -> Reading:
    moment = moment_of(value, timezone)
    if isinstance(moment, Rejected):
        return moment
    date = None if moment is None else {"date": trello_time(moment)}
    return Accepted(date_cell(moment, timezone), {}, CustomItem(spec.id, date))


def _custom_number(spec: CustomSpec, value: SheetValue, timezone: str) -> Reading:
    number = _number(value)
    if isinstance(number, Rejected):
        return number
    shown = None if number is None else {"number": _text(number)}
    return Accepted(custom_cell(number, "number", timezone), {}, CustomItem(spec.id, shown))


def _custom_list(spec: CustomSpec, value: SheetValue, _timezone: str) -> Reading:
    text = _text(value)
    option = _lookup(text, spec.options) if text else None
    if text and option is None:
        return Rejected(f"'{text}' is not one of the options: {', '.join(spec.options)}")
    return Accepted(text_cell(option or ""), {}, CustomItem(spec.id, None, spec.options.get(option or "")))


def _custom_text(spec: CustomSpec, value: SheetValue, _timezone: str) -> Reading:
    text = _text(value)
    return Accepted(text_cell(text), {}, CustomItem(spec.id, {"text": text} if text else None))


_CUSTOM = {
    "checkbox": _custom_checkbox,
    "date": _custom_date,
    "number": _custom_number,
    "list": _custom_list,
    "text": _custom_text,
}


def read_cell(field: str, value: SheetValue, vocabulary: Vocabulary, timezone: str) -> Reading:
    """What Trello would take from a two-way cell holding `value` (a formula is never taken)."""
    if isinstance(value, Formula):
        return Rejected("a formula is not written to Trello; type the value itself")
    if field.startswith(CUSTOM_PREFIX):
        spec = vocabulary.custom.get(field[len(CUSTOM_PREFIX) :])
        if spec is None:
            return Rejected("the board has no such custom field")
        return _CUSTOM.get(spec.kind, _custom_text)(spec, value, timezone)
    return _STANDARD[field](value, vocabulary, timezone)
