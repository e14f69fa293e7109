"""Guards on the tab's layout: the key column and the header row must be where boardsheet left them.

Columns are found by header text or by boardsheet's column tags (developer metadata that follows its
column when columns move); these checks refuse a run before the planner would write over text people
typed, or treat every row as a stranger because the key column is gone.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.core.model import Base, Column, SheetTab
from app.core.plan import HeaderFix
from app.errors import HeaderRowMovedError, KeyColumnMissingError


def _text(value: object) -> str:
    """A cell as the header text it would be (strings only; numbers and formulas are never headers)."""
    return value.strip() if isinstance(value, str) else ""


def _holds_headers(row: Sequence[object], sheet: SheetTab, owned: Sequence[Column]) -> bool:
    """Whether a row holds most owned headers: each in its tagged column when tagged, else anywhere.

    Most, not all: a stakeholder may also have renamed a header, which the run then repairs.
    """
    texts = [_text(value) for value in row]
    tagged = {tag: i for i, tag in enumerate(sheet.column_tags) if tag is not None}
    found = 0
    for column in owned:
        position = tagged.get(column.field)
        if position is not None:
            found += position < len(texts) and texts[position] == column.header
        else:
            found += column.header in texts
    return found * 2 > len(owned)


def header_row(sheet: SheetTab, owned: Sequence[Column]) -> int:
    """The header's grid row (0-based): 0 unless row 1 holds no owned header and a lower row does."""
    if any(header in {c.header for c in owned} for header in sheet.headers):
        return 0
    for index, row in enumerate(sheet.rows):
        if _holds_headers(row, sheet, owned):
            return index + 1
    return 0


def check_header_row(sheet: SheetTab, owned: Sequence[Column]) -> None:
    """Raise HeaderRowMovedError when row 1 holds no owned header but a lower row holds them all.

    That is a row typed or inserted above the header (a title such as "Q2 content calendar"): repairing
    the headers in row 1 would overwrite it and turn the real header row into a data row.
    """
    found = header_row(sheet, owned)
    if found:
        raise HeaderRowMovedError(found + 1, [header for header in sheet.headers if header])


def check_key_column(base: Base | None, fixes: Sequence[HeaderFix], key_header: str) -> None:
    """Raise KeyColumnMissingError when a tab synced before (a base) lost its key column.

    Without it every row looks like a stranger: refusing names the column, where "the sheet reads back
    empty" would not.
    """
    if not base:
        return
    if any(fix.header == key_header and fix.write_header and fix.tag for fix in fixes):
        raise KeyColumnMissingError(key_header, len(base))
