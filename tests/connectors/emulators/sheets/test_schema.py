"""Request bodies as Google reads them: proto3 JSON numbers as strings, and 400s that never leak Python.

The proto3 JSON mapping accepts int32, int64 and double fields as JSON strings
(https://protobuf.dev/programming-guides/json/), so `"rowCount": "1000"` is 1000. Whatever a client sends,
the answer is Google's: 200, or a 400 in Google's words, never a Python error's text (found by clients
sending schema-valid bodies that the handlers could not use). In-process (TestClient), no socket.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connectors.emulators.sheets.app import create_app
from connectors.emulators.sheets.schema import schemas

AUTH = {"Authorization": "Bearer test-token"}
PYTHON = (
    "Traceback",
    "object has no attribute",
    "NoneType",
    "invalid literal for",
    "unsupported operand",
    "not subscriptable",
    "index out of range",
    "is not iterable",
    "KeyError",
    "TypeError",
    "ValueError",
    "missing 1 required",
    "None",  # a Python None rendered into a message ("No named range with id: None")
)


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(quota_per_minute=None, seed=1), headers=AUTH) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def book(client: TestClient) -> str:
    created = client.post("/v4/spreadsheets", json={"sheets": [{"properties": {"title": "Calendar"}}]})
    spreadsheet_id: str = created.json()["spreadsheetId"]
    client.put(
        f"/v4/spreadsheets/{spreadsheet_id}/values/Calendar!A1",
        params={"valueInputOption": "RAW"},
        json={"values": [["Title", "Due"], ["a", "1"], ["b", "2"]]},
    )
    return spreadsheet_id


def test_numbers_sent_as_strings_are_numbers(client: TestClient, book: str) -> None:
    requests_ = [
        {
            "addSheet": {
                "properties": {"title": "Small", "gridProperties": {"rowCount": "10", "columnCount": "3"}}
            }
        },
        {
            "updateCells": {
                "start": {"sheetId": "0", "rowIndex": "3", "columnIndex": "0"},
                "rows": [{"values": [{"userEnteredValue": {"numberValue": "1.5"}}]}],
                "fields": "userEnteredValue",
            }
        },
    ]
    answer = client.post(f"/v4/spreadsheets/{book}:batchUpdate", json={"requests": requests_})
    assert answer.status_code == 200, answer.text
    grid = answer.json()["replies"][0]["addSheet"]["properties"]["gridProperties"]
    assert grid == {"rowCount": 10, "columnCount": 3}
    cell = client.get(
        f"/v4/spreadsheets/{book}/values/Calendar!A4", params={"valueRenderOption": "UNFORMATTED_VALUE"}
    )
    assert cell.json()["values"] == [[1.5]]
    bad = {"requests": [{"addSheet": {"properties": {"gridProperties": {"rowCount": "ten"}}}}]}
    refused = client.post(f"/v4/spreadsheets/{book}:batchUpdate", json=bad)
    assert refused.json()["error"]["message"] == (
        "Invalid value at 'requests[0].add_sheet.properties.grid_properties.row_count' (TYPE_INT32), \"ten\""
    )


def _value(schema: dict[str, Any], depth: int) -> st.SearchStrategy[Any]:
    """Values that fit a discovery schema (ids kept small so they hit the sheet), nested up to `depth`."""
    if "$ref" in schema:
        schema = schemas()[schema["$ref"]]
    kind = schema.get("type")
    if kind == "object" and "properties" in schema:
        if depth <= 0:
            return st.just({})
        fields = {k: _value(v, depth - 1) for k, v in sorted(schema["properties"].items())}
        return st.fixed_dictionaries({}, optional=fields)
    if kind == "array":
        return st.lists(_value(schema.get("items", {}), depth - 1), max_size=2) if depth > 0 else st.just([])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    if kind == "integer":
        return st.integers(-2, 12) | st.integers(-2, 12).map(str)
    if kind == "number":
        return st.floats(-5, 5, allow_nan=False) | st.just("1.5")
    if kind == "boolean":
        return st.booleans()
    if kind == "object":
        return st.just({})
    return st.sampled_from(["", "Calendar", "A1:B2", "userEnteredValue", "*", "x"])


REQUEST = schemas()["Request"]["properties"]
KINDS = sorted(REQUEST)


@settings(
    max_examples=settings().max_examples,  # the profile's (tests/conftest.py): 150 in full
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_any_schema_valid_request_answers_in_googles_words(
    client: TestClient, book: str, data: st.DataObject
) -> None:
    kind = data.draw(st.sampled_from(KINDS))
    body = data.draw(_value(REQUEST[kind], depth=4))
    answer = client.post(f"/v4/spreadsheets/{book}:batchUpdate", json={"requests": [{kind: body}]})
    assert answer.status_code in (200, 400), (kind, body, answer.text)
    if answer.status_code == 400:
        message = answer.json()["error"]["message"]
        assert not any(marker in message for marker in PYTHON), (kind, body, message)
