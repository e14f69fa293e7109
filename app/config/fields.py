"""The card-field vocabulary, value parsers, did-you-mean hints, and the annotated types the models use.

Each annotated type validates a value and gives editors its JSON Schema.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from datetime import timedelta
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema

# Every card field a column may map; `custom:<Field name>` names a Trello custom field.
FIELDS: tuple[str, ...] = (
    "name",
    "desc",
    "due",
    "start",
    "dueComplete",
    "list",
    "labels",
    "members",
    "checklist",
    "url",
    "shortUrl",
    "lastActivity",
    "position",
    "id",
)
CUSTOM_PREFIX = "custom:"
# Fields a stakeholder may edit in the sheet (`two_way: true`); custom fields of every type qualify too.
TWO_WAY_FIELDS: tuple[str, ...] = ("name", "desc", "due", "start", "dueComplete", "list", "labels", "members")
# Fields Trello computes or that have no single writable value: shown, never written back.
ONE_WAY_FIELDS = frozenset({"url", "shortUrl", "id", "lastActivity", "position", "checklist"})
# Fields holding dates: the default sort uses the first column mapping one of these.
DATE_FIELDS = frozenset({"due", "start", "lastActivity"})

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h)\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600}
PERCENT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%\s*$")
SLUG_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"  # a pair name; the web layer checks URL path parameters with it
_SLUG = re.compile(SLUG_PATTERN)
_TRELLO_URL = re.compile(r"trello\.com/b/([A-Za-z0-9]+)")
_SHEETS_URL = re.compile(r"docs\.google\.com/spreadsheets/d/([A-Za-z0-9_-]+)")


def nearest(word: str, choices: Iterable[str]) -> str | None:
    """The choice closest to `word` (same letters in another case first), or None when none is close."""
    options = list(choices)
    lowered = {c.lower(): c for c in options}
    if word.lower() in lowered:
        return lowered[word.lower()]
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A "did you mean 'x'?" hint for the closest choice, or "" when none is close."""
    found = nearest(word, choices)
    return f"did you mean '{found}'?" if found else ""


def check_field(value: Any) -> str:
    """Validate a column's field name, with a did-you-mean hint when unknown."""
    if not isinstance(value, str):
        raise ValueError("a field is a string such as 'due' or 'custom:Channel'")
    if value.startswith(CUSTOM_PREFIX):
        if not value[len(CUSTOM_PREFIX) :].strip():
            raise ValueError("'custom:' needs the custom field's name, e.g. 'custom:Channel'")
        return value
    if value in FIELDS:
        return value
    hint = did_you_mean(value, [*FIELDS, "custom:"])
    known = ", ".join(FIELDS)
    raise ValueError(f"unknown field '{value}'" + (f" — {hint}" if hint else f"; known fields: {known}"))


def parse_duration(value: Any) -> timedelta:
    """Parse "30s", "5m", "1h" (or a number of seconds) into a positive timedelta."""
    if isinstance(value, timedelta):
        seconds = value.total_seconds()
    elif isinstance(value, int | float) and not isinstance(value, bool):
        seconds = float(value)
    elif isinstance(value, str) and (match := _DURATION.match(value)):
        seconds = float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
    else:
        raise ValueError(f"'{value}' is not a duration; write a number with s, m or h, e.g. 30s, 5m or 1h")
    if seconds <= 0:
        raise ValueError("a duration must be longer than zero")
    return timedelta(seconds=seconds)


def check_max_deletes(value: Any) -> int | str:
    """Accept a row count (int >= 0) or a percentage of the sheet's rows such as "25%"."""
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 0:
            raise ValueError("max_deletes cannot be negative")
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    if isinstance(value, str) and (match := PERCENT.match(value)):
        if float(match.group(1)) > 100:
            raise ValueError("a percentage of rows cannot exceed 100%")
        return f"{match.group(1)}%"
    raise ValueError(f"'{value}' is neither a number of rows nor a percentage; write e.g. 25 or 25%")


def check_slug(value: str) -> str:
    """Pair names appear in URLs, metrics and the CLI: keep them slug-like."""
    if not _SLUG.match(value):
        raise ValueError(
            f"pair name '{value}' must be lowercase letters, digits, '-' or '_' (e.g. social-calendar)"
        )
    return value


def board_ref(value: str) -> str:
    """A board id or short link; a pasted board URL is reduced to its short link."""
    match = _TRELLO_URL.search(value)
    board = match.group(1) if match else value.strip()
    if not board or not board.isalnum():
        raise ValueError(f"'{value}' is not a Trello board id, short link or board URL")
    return board


def spreadsheet_ref(value: str) -> str:
    """A spreadsheet id; a pasted spreadsheet URL is reduced to its id."""
    match = _SHEETS_URL.search(value)
    sheet = match.group(1) if match else value.strip()
    if not sheet or not re.fullmatch(r"[A-Za-z0-9_-]+", sheet):
        raise ValueError(f"'{value}' is not a spreadsheet id or spreadsheet URL")
    return sheet


_FIELD_PATTERN = "^(" + "|".join(FIELDS) + ")$|^custom:.+$"

FieldName = Annotated[
    str,
    BeforeValidator(check_field),
    WithJsonSchema({"type": "string", "pattern": _FIELD_PATTERN, "examples": [*FIELDS, "custom:Channel"]}),
]
Duration = Annotated[
    timedelta,
    BeforeValidator(parse_duration),
    WithJsonSchema({"type": "string", "pattern": r"^\s*\d+(\.\d+)?\s*(s|m|h)\s*$", "examples": ["5m"]}),
]
MaxDeletes = Annotated[
    int | str,
    BeforeValidator(check_max_deletes),
    WithJsonSchema({"anyOf": [{"type": "integer", "minimum": 0}, {"type": "string", "pattern": r"^\d+%$"}]}),
]
Name = Annotated[str, Field(min_length=1)]


Slug = Annotated[str, AfterValidator(check_slug)]
BoardRef = Annotated[str, AfterValidator(board_ref)]
SpreadsheetRef = Annotated[str, AfterValidator(spreadsheet_ref)]
