"""spreadsheets.values.*: typed input, render options, range echoes, append, clear, batch forms."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest

from tests.support.sheets_emulator import SheetsEmulator

pytestmark = pytest.mark.http  # the emulator over loopback


@pytest.fixture
def book(emulator: SheetsEmulator) -> str:
    return emulator.create("Values", tabs=["Plan", "Other tab"])


def put(
    emulator: SheetsEmulator, book: str, rng: str, values: list[list[Any]], option: str | None = "RAW"
) -> Any:
    params = {"valueInputOption": option} if option else {}
    return emulator.call("PUT", f"/v4/spreadsheets/{book}/values/{quote(rng)}", {"values": values}, **params)


def get(emulator: SheetsEmulator, book: str, rng: str, **params: str) -> dict[str, Any]:
    response = emulator.call("GET", f"/v4/spreadsheets/{book}/values/{quote(rng)}", **params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_update_echoes_the_written_range(emulator: SheetsEmulator, book: str) -> None:
    response = put(emulator, book, "'Other tab'!B2", [["a", "b"], ["c"]])
    assert response.json() == {
        "spreadsheetId": book,
        "updatedRange": "'Other tab'!B2:C3",
        "updatedRows": 2,
        "updatedColumns": 2,
        "updatedCells": 3,
    }


def test_value_input_option_is_required(emulator: SheetsEmulator, book: str) -> None:
    response = put(emulator, book, "Plan!A1", [["x"]], option=None)
    assert response.status_code == 400
    assert response.json()["error"]["status"] == "INVALID_ARGUMENT"
    assert "valueInputOption" in response.json()["error"]["message"]


def test_raw_keeps_text_and_user_entered_parses_it(emulator: SheetsEmulator, book: str) -> None:
    row = ["=1+2", "2024-03-01", "TRUE", "1,234.50", "12%", "'007", 7]
    put(emulator, book, "Plan!A1", [row], "RAW")
    put(emulator, book, "Plan!A2", [row], "USER_ENTERED")
    formatted = get(emulator, book, "Plan!A1:G2")["values"]
    assert formatted[0] == ["=1+2", "2024-03-01", "TRUE", "1,234.50", "12%", "'007", "7"]
    assert formatted[1] == ["3", "2024-03-01", "TRUE", "1,234.50", "12%", "007", "7"]
    raw = get(emulator, book, "Plan!A2:G2", valueRenderOption="UNFORMATTED_VALUE")["values"]
    assert raw == [[3, 45352, True, 1234.5, 0.12, "007", 7]]
    when = get(
        emulator,
        book,
        "Plan!B2",
        valueRenderOption="UNFORMATTED_VALUE",
        dateTimeRenderOption="FORMATTED_STRING",
    )
    assert when["values"] == [["2024-03-01"]]
    formulas = get(emulator, book, "Plan!A1:A2", valueRenderOption="FORMULA")["values"]
    assert formulas == [["=1+2"], ["=1+2"]]


def test_read_trims_trailing_empties_and_echoes_the_requested_range(
    emulator: SheetsEmulator, book: str
) -> None:
    put(emulator, book, "Plan!A1", [["a", "", "c", ""], ["", "", "", ""], ["", "b"]])
    body = get(emulator, book, "Plan")
    assert body == {
        "range": "Plan!A1:Z1000",
        "majorDimension": "ROWS",
        "values": [["a", "", "c"], [], ["", "b"]],
    }
    columns = get(emulator, book, "Plan!A1:C3", majorDimension="COLUMNS")
    assert columns["values"] == [["a"], ["", "", "b"], ["c"]]
    assert get(emulator, book, "Plan!D5:E6") == {"range": "Plan!D5:E6", "majorDimension": "ROWS"}


def test_writing_outside_the_range_or_grid_is_refused(emulator: SheetsEmulator, book: str) -> None:
    too_wide = put(emulator, book, "Plan!A1:B1", [["a", "b", "c"]])
    assert too_wide.status_code == 400
    assert too_wide.json()["error"]["message"].startswith("Requested writing within range [Plan!A1:B1]")
    beyond = put(emulator, book, "Plan!Z1", [["a", "b"]])
    assert beyond.status_code == 400
    assert "exceeds grid limits" in beyond.json()["error"]["message"]


def test_a_list_or_object_in_a_cell_is_googles_400_and_nothing_is_written(
    emulator: SheetsEmulator, book: str
) -> None:
    listed = put(emulator, book, "Plan!A1", [["ok", ["Washington Post analysis"]]])
    assert listed.status_code == 400
    assert listed.json()["error"]["message"] == (
        'Invalid values[0][1]: list_value {\n  values {\n    string_value: "Washington Post analysis"\n  }\n}'
    )
    struct = emulator.call(
        "POST",
        f"/v4/spreadsheets/{book}/values/Plan!A1:append",
        {"values": [["a"], ["b", {"name": "Jane"}]]},
        valueInputOption="USER_ENTERED",
    )
    assert struct.status_code == 400
    assert struct.json()["error"]["message"].startswith("Invalid values[1][1]: struct_value {\n  fields {")
    assert "values" not in get(emulator, book, "Plan!A1:B2")  # nothing stored, least of all "{'name': ...}"


def test_no_write_stores_a_number_json_cannot_carry(emulator: SheetsEmulator, book: str) -> None:
    # Stored, NaN or 1e400 made every later read of the tab a 500 (Python's json refuses to write them).
    url = f"{emulator.url}/v4/spreadsheets/{book}"
    session = emulator.session()
    for token in ("1e400", "-1e400", "NaN", "Infinity", "-Infinity"):
        values = session.put(
            f"{url}/values/Plan!A1",
            params={"valueInputOption": "RAW"},
            data=f'{{"values": [[{token}]]}}',
            headers={"Content-Type": "application/json"},
            timeout=10,
        )
        assert values.status_code == 400, token
        assert values.json()["error"]["status"] == "INVALID_ARGUMENT"
        cells = session.post(
            f"{url}:batchUpdate",
            data='{"requests": [{"updateCells": {"start": {"sheetId": 0}, "fields": "userEnteredValue", '
            f'"rows": [{{"values": [{{"userEnteredValue": {{"numberValue": {token}}}}}]}}]}}}}]}}',
            headers={"Content-Type": "application/json"},
            timeout=10,
        )
        assert cells.status_code == 400, token
    # Typed by a user: beyond a double stays text; a formula overflowing is #NUM!, as in Sheets.
    typed = put(emulator, book, "Plan!A1:B1", [["1e400", "=1e308*10"]], option="USER_ENTERED")
    assert typed.status_code == 200
    assert get(emulator, book, "Plan!A1:B1")["values"] == [["1e400", "#NUM!"]]
    unformatted = get(emulator, book, "Plan!A1:B1", valueRenderOption="UNFORMATTED_VALUE")
    assert unformatted["values"] == [["1e400", "#NUM!"]]
    assert emulator.call("GET", f"/v4/spreadsheets/{book}", includeGridData="true").status_code == 200


def test_null_leaves_cells_alone(emulator: SheetsEmulator, book: str) -> None:
    put(emulator, book, "Plan!A1", [["a", "b"]])
    response = put(emulator, book, "Plan!A1:B1", [[None, "B"]])
    assert response.json()["updatedCells"] == 1
    assert get(emulator, book, "Plan!A1:B1")["values"] == [["a", "B"]]


def test_append_overwrite_and_insert_rows(emulator: SheetsEmulator, book: str) -> None:
    put(emulator, book, "Plan!A1", [["h1", "h2"], ["r1", "x"], [], [], ["below", ""]])
    first = emulator.call(
        "POST",
        f"/v4/spreadsheets/{book}/values/Plan!A1:B2:append",
        {"values": [["r2", "y"]]},
        valueInputOption="RAW",
    ).json()
    assert first["tableRange"] == "Plan!A1:B2"
    assert first["updates"]["updatedRange"] == "Plan!A3:B3"
    inserted = emulator.call(
        "POST",
        f"/v4/spreadsheets/{book}/values/Plan!A1:B3:append",
        {"values": [["r3", "z"]]},
        valueInputOption="RAW",
        insertDataOption="INSERT_ROWS",
    ).json()
    assert inserted["updates"]["updatedRange"] == "Plan!A4:B4"
    expected = [["h1", "h2"], ["r1", "x"], ["r2", "y"], ["r3", "z"], [], ["below"]]
    assert get(emulator, book, "Plan!A1:B6")["values"] == expected
    assert emulator.state.get(book).sheets[0].row_count == 1001


def test_append_to_an_empty_sheet_and_past_the_grid(emulator: SheetsEmulator, book: str) -> None:
    emulator.batch(
        book,
        {
            "updateSheetProperties": {
                "properties": {"sheetId": 0, "gridProperties": {"rowCount": 1}},
                "fields": "gridProperties.rowCount",
            }
        },
    )
    for row in (["a"], ["b"]):
        response = emulator.call(
            "POST", f"/v4/spreadsheets/{book}/values/Plan:append", {"values": [row]}, valueInputOption="RAW"
        )
        assert response.status_code == 200, response.text
    assert get(emulator, book, "Plan")["values"] == [["a"], ["b"]]
    assert emulator.state.get(book).sheets[0].row_count == 2


def test_clear_and_batch_clear_keep_formatting(emulator: SheetsEmulator, book: str) -> None:
    put(emulator, book, "Plan!A1", [["a", "b"], ["c", "d"]])
    emulator.batch(
        book,
        {
            "repeatCell": {
                "range": {"sheetId": 0, "endRowIndex": 1},
                "cell": {"userEnteredFormat": {"textFormat": {"bold": True}}},
                "fields": "userEnteredFormat.textFormat.bold",
            }
        },
    )
    cleared = emulator.call("POST", f"/v4/spreadsheets/{book}/values/Plan!A1:A2:clear", {}).json()
    assert cleared == {"spreadsheetId": book, "clearedRange": "Plan!A1:A2"}
    batch = emulator.call(
        "POST", f"/v4/spreadsheets/{book}/values:batchClear", {"ranges": ["Plan!B2"]}
    ).json()
    assert batch == {"spreadsheetId": book, "clearedRanges": ["Plan!B2"]}
    assert get(emulator, book, "Plan")["values"] == [["", "b"]]
    assert emulator.state.get(book).sheets[0].cell(0, 0)["userEnteredFormat"]["textFormat"]["bold"] is True


def test_batch_get_and_batch_update(emulator: SheetsEmulator, book: str) -> None:
    body = {
        "valueInputOption": "USER_ENTERED",
        "data": [
            {"range": "Plan!A1", "values": [["1", "2"]]},
            {"range": "'Other tab'!A1:A2", "values": [["x"], ["y"]]},
        ],
    }
    updated = emulator.call("POST", f"/v4/spreadsheets/{book}/values:batchUpdate", body).json()
    assert (updated["totalUpdatedCells"], updated["totalUpdatedSheets"], len(updated["responses"])) == (
        4,
        2,
        2,
    )
    got = emulator.call(
        "GET", f"/v4/spreadsheets/{book}/values:batchGet", ranges=["Plan!A:A", "'Other tab'!1:2"]
    ).json()
    assert [v["range"] for v in got["valueRanges"]] == ["Plan!A1:A1000", "'Other tab'!A1:Z2"]
    assert [v["values"] for v in got["valueRanges"]] == [[["1"]], [["x"], ["y"]]]


def test_method_override_carries_the_query_in_the_body(emulator: SheetsEmulator, book: str) -> None:
    put(emulator, book, "Plan!A1", [["a"]])
    with emulator.session() as session:
        response = session.post(
            f"{emulator.url}/v4/spreadsheets/{book}/values:batchGet",
            data={"ranges": ["Plan!A1", "Plan!B1"], "valueRenderOption": "FORMATTED_VALUE"},
            headers={"x-http-method-override": "GET"},
            timeout=10,
        )
    assert response.status_code == 200, response.text
    assert [v["range"] for v in response.json()["valueRanges"]] == ["Plan!A1", "Plan!B1"]


def test_unknown_field_in_a_value_range_is_google_400(emulator: SheetsEmulator, book: str) -> None:
    response = emulator.call(
        "PUT", f"/v4/spreadsheets/{book}/values/Plan!A1", {"values": "X"}, valueInputOption="RAW"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert (
        error["message"]
        == "Invalid value at 'data.values' (type.googleapis.com/google.protobuf.ListValue), \"X\""
    )
    assert error["details"][0]["fieldViolations"][0]["field"] == "data.values"


def test_unknown_spreadsheet_is_404(emulator: SheetsEmulator) -> None:
    response = emulator.call("GET", "/v4/spreadsheets/nope/values/A1")
    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": 404, "message": "Requested entity was not found.", "status": "NOT_FOUND"}
    }


def test_unknown_render_option_is_400(emulator: SheetsEmulator, book: str) -> None:
    response = emulator.call("GET", f"/v4/spreadsheets/{book}/values/Plan!A1", valueRenderOption="PRETTY")
    assert response.status_code == 400
    assert (
        response.json()["error"]["message"]
        == "Invalid value at 'value_render_option' (TYPE_ENUM), \"PRETTY\""
    )


def test_googleapiclient_long_batch_get_uses_the_method_override(emulator: SheetsEmulator, book: str) -> None:
    from google.oauth2.credentials import Credentials
    from googleapiclient.discovery import build

    put(emulator, book, "Plan!A1", [["first"]])
    service = build(
        "sheets",
        "v4",
        credentials=Credentials("test-token"),
        static_discovery=True,
        client_options={"api_endpoint": emulator.url},
    )
    ranges = [f"'Plan'!A{n}:Z{n}" for n in range(1, 301)]  # a URL far beyond googleapiclient's 2 KB limit
    emulator.app.state.request_log.clear()
    got = service.spreadsheets().values().batchGet(spreadsheetId=book, ranges=ranges).execute()
    service.close()
    assert len(got["valueRanges"]) == 300
    assert got["valueRanges"][0]["values"] == [["first"]]
    assert [e["method"] for e in emulator.app.state.request_log.snapshot()] == ["POST"]


def test_append_at_a1_finds_the_whole_table(emulator: SheetsEmulator, book: str) -> None:
    put(emulator, book, "Plan!A1", [["h1", "h2", "h3"], ["a", "b", "c"], ["d", "", "f"]])
    response = emulator.call(
        "POST", f"/v4/spreadsheets/{book}/values/Plan!A1:append", {"values": [["g"]]}, valueInputOption="RAW"
    ).json()
    assert response["tableRange"] == "Plan!A1:C3"
    assert response["updates"]["updatedRange"] == "Plan!A4"


def test_values_batch_update_is_atomic(emulator: SheetsEmulator, book: str) -> None:
    body = {
        "valueInputOption": "RAW",
        "data": [{"range": "Plan!A1", "values": [["kept?"]]}, {"range": "Nope!A1", "values": [["x"]]}],
    }
    response = emulator.call("POST", f"/v4/spreadsheets/{book}/values:batchUpdate", body)
    assert response.json()["error"]["message"] == "Unable to parse range: Nope!A1"
    assert get(emulator, book, "Plan!A1") == {"range": "Plan!A1", "majorDimension": "ROWS"}
