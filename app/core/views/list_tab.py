"""The list tab's looks (pure): titles that link to their card, a hidden key column, colours by value.

Colours are conditional format rules on the column showing what `colour_by` names (labels, list or a
custom field), never cell backgrounds: a rule changes no cell, so stakeholders' own formatting stays
untouched everywhere, and the colours follow each row when rows are sorted, added or removed. Each
value's rule tests the cell's text (TEXT_EQ; TEXT_CONTAINS for the comma-separated labels, longest
names first so "Instagram Stories" is not taken for "Instagram"); the first matching rule wins
(https://developers.google.com/sheets/api/guides/conditional-format). Our rules sit after people's own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from app.core.views.palette import TINT, Colour, hex_of, rgb, tint

Request = dict[str, Any]
LINK_MASK = "userEnteredFormat.textFormat.link"
# A condition value is parsed as if typed into a cell, "=" or "+" starting a formula: such values get no
# colour rather than a formula (https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/other#ConditionValue).
FORMULA_STARTS = ("=", "+")

Rule = tuple[int, str, str, Colour]  # (column, condition type, value, background)


def hide_key_column(sheet_id: int, column: int, properties: Sequence[Mapping[str, Any]]) -> list[Request]:
    """Hide the key column unless it already is (it stays the key; people may still unhide it)."""
    if column < len(properties) and properties[column].get("hiddenByUser"):
        return []
    span = {"sheetId": sheet_id, "dimension": "COLUMNS", "startIndex": column, "endIndex": column + 1}
    properties_ = {"hiddenByUser": True}
    return [
        {"updateDimensionProperties": {"range": span, "properties": properties_, "fields": "hiddenByUser"}}
    ]


def wanted_rules(column: int, colours: Mapping[str, Colour], source: str) -> list[Rule]:
    """One rule per value, in the order they must be tried."""
    kind = "TEXT_CONTAINS" if source == "labels" else "TEXT_EQ"
    values = [value for value in colours if value and not value.startswith(FORMULA_STARTS)]
    if kind == "TEXT_CONTAINS":
        values.sort(key=len, reverse=True)
    return [(column, kind, value, tint(colours[value])) for value in values]


def _ours(rule: Mapping[str, Any]) -> Rule | None:
    """A rule as (column, type, value, background) when it has the shape ours have, else None."""
    ranges = rule.get("ranges") or []
    boolean = rule.get("booleanRule") or {}
    condition = boolean.get("condition") or {}
    fmt = boolean.get("format") or {}
    background = hex_of((fmt.get("backgroundColorStyle") or {}).get("rgbColor") or fmt.get("backgroundColor"))
    values = condition.get("values") or []
    if len(ranges) != 1 or len(values) != 1 or background is None or background not in TINT.values():
        return None
    span = ranges[0]
    start, end = int(span.get("startColumnIndex", 0)), int(span.get("endColumnIndex", -1))
    if int(span.get("startRowIndex", 0)) != 1 or "endRowIndex" in span or end != start + 1:
        return None
    if condition.get("type") not in ("TEXT_EQ", "TEXT_CONTAINS"):
        return None
    return (start, str(condition["type"]), str(values[0].get("userEnteredValue", "")), background)


def _add(sheet_id: int, rule: Rule) -> Request:
    column, kind, value, background = rule
    span = {"sheetId": sheet_id, "startRowIndex": 1, "startColumnIndex": column, "endColumnIndex": column + 1}
    boolean = {
        "condition": {"type": kind, "values": [{"userEnteredValue": value}]},
        "format": {"backgroundColorStyle": {"rgbColor": rgb(background)}},
    }
    return {"addConditionalFormatRule": {"rule": {"ranges": [span], "booleanRule": boolean}}}


def colour_rule_requests(
    sheet_id: int, wanted: Sequence[Rule], existing: Sequence[Mapping[str, Any]]
) -> list[Request]:
    """Nothing when our rules are as wanted; else delete ours (last first) and add the wanted ones."""
    ours = [(index, found) for index, rule in enumerate(existing) if (found := _ours(rule)) is not None]
    if [found for _, found in ours] == list(wanted):
        return []
    requests: list[Request] = [
        {"deleteConditionalFormatRule": {"sheetId": sheet_id, "index": index}} for index, _ in reversed(ours)
    ]
    return requests + [_add(sheet_id, rule) for rule in wanted]


def _link_of(cell: Mapping[str, Any]) -> str | None:
    """The link a cell shows: Google's computed hyperlink, else its text format's link."""
    text_format = (cell.get("userEnteredFormat") or {}).get("textFormat") or {}
    found = cell.get("hyperlink") or (text_format.get("link") or {}).get("uri")
    return str(found) if found else None


def title_link_requests(
    sheet_id: int,
    rows: Sequence[Sequence[Mapping[str, Any]]],
    title_column: int,
    key_column: int,
    links: Mapping[str, str],
) -> list[Request]:
    """Link the title cells of rows whose card has a URL but whose title cell does not link to it.

    Row 0 is the header; indexes are the rows as read, so these requests go before the plan's.
    """
    requests: list[Request] = []
    for r, row in enumerate(rows[1:], start=1):
        key_cell = row[key_column] if key_column < len(row) else {}
        key = str((key_cell.get("userEnteredValue") or {}).get("stringValue", "")).strip()
        title = row[title_column] if title_column < len(row) else {}
        wanted = links.get(key)
        if (
            not wanted
            or "stringValue" not in (title.get("userEnteredValue") or {})
            or _link_of(title) == wanted
        ):
            continue
        cell = {"userEnteredFormat": {"textFormat": {"link": {"uri": wanted}}}}
        start = {"sheetId": sheet_id, "rowIndex": r, "columnIndex": title_column}
        requests.append({"updateCells": {"start": start, "rows": [{"values": [cell]}], "fields": LINK_MASK}})
    return requests
