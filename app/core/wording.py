"""Values and field names as the sheet shows them: column headers, dates in the pair's zone and format,
checkboxes as the sheet's words. Pure: the change log (status page, `/status`, the Changes tab) and the
CLI's plans use it, so people read the words they see in the sheet, not Trello's field ids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from app.core.mapping import SHEETS_EPOCH, date_cell
from app.core.model import Formula, Policy, SheetValue
from app.core.records import ChangeRecord
from app.core.render import STRFTIME

__all__ = ["CHECKBOX_WORDS", "SheetWords", "cell_text", "counted", "moment_text"]

# A checkbox cell's formattedValue in Google Sheets: the words a stakeholder sees when copying it.
CHECKBOX_WORDS = {True: "TRUE", False: "FALSE"}
# Trello's ISO 8601 action dates ("2026-12-01T08:00:00.000Z"), the shape of every date in a change.
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
# Fields that have no column, in words (the rest keep Trello's name).
_UNMAPPED = {
    "closed": "archived",
    "dueComplete": "done",
    "idList": "list",
    "desc": "description",
    "lastActivity": "last activity",
}
_CHECKBOX_FIELDS = frozenset({"dueComplete", "closed"})


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """ "1 card", "2 cards" ("1 entry", "2 entries" with `plural`)."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def moment_text(moment: datetime, timezone: str, *, time: bool = False) -> str:
    """A moment as the sheet shows a date cell in `timezone`: a date at midnight, else date and time
    (`time`: always date and time, as the Changes tab's When column shows it)."""
    cell = date_cell(moment, timezone)
    if not isinstance(cell.value, float) or cell.number_format is None:
        return ""
    return serial_text(cell.value, "DATE_TIME" if time else cell.number_format)


def serial_text(serial: float, number_format: str) -> str:
    """A date serial number (days since 1899-12-30) as the sheet shows it with our number format."""
    local = SHEETS_EPOCH + timedelta(days=serial)
    # Round to the minute, as the pattern shows it (serials carry float noise).
    local = (local + timedelta(seconds=30)).replace(second=0, microsecond=0)
    return local.strftime(STRFTIME.get(number_format, STRFTIME["DATE_TIME"]))


def cell_text(value: SheetValue, number_format: str | None = None) -> str:
    """A cell value as the sheet shows it: dates formatted, checkboxes as words, formulas as typed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return CHECKBOX_WORDS[value]
    if isinstance(value, Formula):
        return value.text
    if isinstance(value, float) and number_format in STRFTIME:
        return serial_text(value, number_format)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _moment(text: str) -> datetime | None:
    """An ISO 8601 timestamp as an aware datetime; None when `text` is not one."""
    if not _ISO.match(text):
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class SheetWords:
    """How one pair's sheet names fields and shows values."""

    headers: dict[str, str]  # card field -> the header of the column showing it
    timezone: str

    @classmethod
    def of(cls, policy: Policy) -> SheetWords:
        """The words of the pair `policy` describes."""
        return cls({c.field: c.header for c in policy.owned_columns()}, policy.timezone)

    def field(self, field: str) -> str:
        """The column header showing `field`, else the field in words ("custom:" dropped)."""
        if field in self.headers:
            return self.headers[field]
        return _UNMAPPED.get(field, field.removeprefix("custom:"))

    def value(self, field: str, text: str | None) -> str | None:
        """A change's before/after text as the sheet would show it."""
        if text is None:
            return None
        moment = _moment(text)
        if moment is not None:
            return moment_text(moment, self.timezone)
        if text in ("true", "false") and (field in _CHECKBOX_FIELDS or field.startswith("custom:")):
            return CHECKBOX_WORDS[text == "true"]
        return text

    def present(self, change: ChangeRecord) -> ChangeRecord:
        """The change in the sheet's language."""
        return replace(
            change,
            field=self.field(change.field),
            before=self.value(change.field, change.before),
            after=self.value(change.field, change.after),
        )
