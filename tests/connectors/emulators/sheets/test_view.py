"""The view page draws what Sheets draws: rich text runs, wrapped lines, row heights, notes, colour rules."""

from __future__ import annotations

import pytest
import requests

from tests.support.sheets_emulator import SheetsEmulator

pytestmark = pytest.mark.http  # the emulator over loopback

DAY = {
    "userEnteredValue": {"stringValue": "14\n🎉 <Launch>\n+3 more"},
    "textFormatRuns": [
        {"format": {"bold": True}},
        {"startIndex": 2, "format": {}},
        {
            "startIndex": 6,  # after "14\n🎉 ": the emoji is two UTF-16 code units
            "format": {
                "link": {"uri": "https://trello.com/c/abc"},
                "foregroundColorStyle": {"rgbColor": {"red": 0.75, "green": 0.15, "blue": 0.18}},
            },
        },
        {"startIndex": 14, "format": {}},
        {"startIndex": 15, "format": {"link": {"uri": "javascript:alert(1)"}}},
    ],
    "userEnteredFormat": {"wrapStrategy": "WRAP", "backgroundColor": {"red": 1, "green": 0.96, "blue": 0.8}},
    "note": "4 cards on 2027-03-14",
}


def size(dimension: str, index: int) -> dict[str, object]:
    return {"sheetId": 0, "dimension": dimension, "startIndex": index, "endIndex": index + 1}


def test_rich_text_heights_notes_and_colour_rules(emulator: SheetsEmulator) -> None:
    book = emulator.create("Grid", tabs=["View"])
    rows = [{"userEnteredValue": {"stringValue": text}} for text in ("Instagram, X", "Instagram")]
    rule = {
        "ranges": [{"sheetId": 0, "startRowIndex": 1, "startColumnIndex": 0, "endColumnIndex": 1}],
        "booleanRule": {
            "condition": {"type": "TEXT_CONTAINS", "values": [{"userEnteredValue": "Instagram"}]},
            "format": {"backgroundColorStyle": {"rgbColor": {"red": 0.93, "green": 0.87, "blue": 0.97}}},
        },
    }
    emulator.batch(
        book,
        {"updateCells": {"start": {"sheetId": 0, "rowIndex": 1}, "rows": [{"values": [DAY]}], "fields": "*"}},
        {"updateCells": {"start": {"sheetId": 0, "rowIndex": 2}, "rows": [{"values": rows}],
                         "fields": "userEnteredValue"}},
        {"updateDimensionProperties": {"range": size("ROWS", 1), "properties": {"pixelSize": 74},
                                       "fields": "pixelSize"}},
        {"updateDimensionProperties": {"range": size("COLUMNS", 0), "properties": {"pixelSize": 180},
                                       "fields": "pixelSize"}},
        {"addConditionalFormatRule": {"rule": rule}},
    )  # fmt: skip
    html = requests.get(f"{emulator.url}/view/{book}", timeout=10).text
    assert '<span style="font-weight:bold">14</span>' in html
    assert (
        '<a href="https://trello.com/c/abc" rel="noopener noreferrer">'
        '<span style="color:rgb(191,38,46)">&lt;Launch&gt;</span></a>'
    ) in html  # the run cut at its UTF-16 index, escaped, linked, coloured
    assert "javascript:" not in html  # an unsafe link is shown as text only
    assert 'class="wrap" title="4 cards on 2027-03-14"' in html
    assert '<tr style="height:74px"><th>2</th>' in html
    assert '<div class="fit" style="max-height:70px">' in html
    assert '<table class="sized">' in html  # set widths hold, unwrapped text spills right as in Sheets
    assert '<th style="width:180px">A</th><th style="width:100px">B</th>' in html
    # The rule covers column A from row 2 down: it paints "Instagram, X", not B's "Instagram".
    assert '<td style="background:rgb(237,222,247)">Instagram, X</td>' in html
    assert "<td>Instagram</td>" in html
