"""Rows and columns: insert, delete, move, properties, sort — developer metadata moves with its row/column."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.sheets_emulator import SheetsEmulator

pytestmark = pytest.mark.http  # the emulator over loopback


@pytest.fixture
def book(emulator: SheetsEmulator) -> str:
    """A tab with a header and rows k0..k4, each row tagged with metadata card=<k>."""
    spreadsheet_id = emulator.create("Dims", tabs=["Calendar"])
    table = [["Title", "N"], ["k0", "3"], ["k1", ""], ["k2", "1"], ["k3", "3"], ["k4", "2"]]
    emulator.call(
        "PUT",
        f"/v4/spreadsheets/{spreadsheet_id}/values/Calendar!A1",
        {"values": table},
        valueInputOption="USER_ENTERED",
    )
    tags = [metadata("ROWS", r, "card", f"k{r - 1}") for r in range(1, 6)]
    tags.append(metadata("COLUMNS", 1, "column", "N"))
    assert emulator.batch(spreadsheet_id, *tags).status_code == 200
    return spreadsheet_id


def metadata(dimension: str, index: int, key: str, value: str) -> dict[str, Any]:
    location = {
        "dimensionRange": {"sheetId": 0, "dimension": dimension, "startIndex": index, "endIndex": index + 1}
    }
    return {
        "createDeveloperMetadata": {
            "developerMetadata": {
                "metadataKey": key,
                "metadataValue": value,
                "location": location,
                "visibility": "DOCUMENT",
            }
        }
    }


def column_a(emulator: SheetsEmulator, book: str) -> list[str]:
    got = emulator.call("GET", f"/v4/spreadsheets/{book}/values/Calendar!A:A").json()["values"]
    return [row[0] if row else "" for row in got]


def tagged_rows(emulator: SheetsEmulator, book: str) -> dict[str, int]:
    """metadataValue -> row index, read through developerMetadata.search."""
    body = {"dataFilters": [{"developerMetadataLookup": {"metadataKey": "card"}}]}
    found = emulator.call("POST", f"/v4/spreadsheets/{book}/developerMetadata:search", body).json()
    return {
        m["developerMetadata"]["metadataValue"]: m["developerMetadata"]["location"]["dimensionRange"][
            "startIndex"
        ]
        for m in found["matchedDeveloperMetadata"]
    }


def dim(dimension: str, start: int, end: int) -> dict[str, Any]:
    return {"sheetId": 0, "dimension": dimension, "startIndex": start, "endIndex": end}


def test_create_developer_metadata_replies_with_its_location(emulator: SheetsEmulator, book: str) -> None:
    reply = emulator.batch(book, metadata("ROWS", 7, "card", "k9")).json()["replies"][0]
    created = reply["createDeveloperMetadata"]["developerMetadata"]
    assert created["location"] == {"locationType": "ROW", "dimensionRange": dim("ROWS", 7, 8)}
    assert (created["metadataKey"], created["metadataValue"], created["visibility"]) == (
        "card",
        "k9",
        "DOCUMENT",
    )
    assert isinstance(created["metadataId"], int)


def test_metadata_follows_insert_delete_and_move(emulator: SheetsEmulator, book: str) -> None:
    emulator.batch(book, {"insertDimension": {"range": dim("ROWS", 1, 3), "inheritFromBefore": False}})
    assert tagged_rows(emulator, book) == {"k0": 3, "k1": 4, "k2": 5, "k3": 6, "k4": 7}
    emulator.batch(book, {"deleteDimension": {"range": dim("ROWS", 1, 4)}})
    assert tagged_rows(emulator, book) == {"k1": 1, "k2": 2, "k3": 3, "k4": 4}
    emulator.batch(book, {"moveDimension": {"source": dim("ROWS", 4, 5), "destinationIndex": 1}})
    assert tagged_rows(emulator, book) == {"k4": 1, "k1": 2, "k2": 3, "k3": 4}
    assert column_a(emulator, book) == ["Title", "k4", "k1", "k2", "k3"]
    emulator.batch(book, {"insertDimension": {"range": dim("COLUMNS", 0, 1)}})
    body = {"dataFilters": [{"developerMetadataLookup": {"metadataKey": "column"}}]}
    found = emulator.call("POST", f"/v4/spreadsheets/{book}/developerMetadata:search", body).json()
    assert found["matchedDeveloperMetadata"][0]["developerMetadata"]["location"]["dimensionRange"] == dim(
        "COLUMNS", 2, 3
    )


def test_sort_is_stable_by_several_specs_with_empty_cells_last(emulator: SheetsEmulator, book: str) -> None:
    specs = [
        {"dimensionIndex": 1, "sortOrder": "DESCENDING"},
        {"dimensionIndex": 0, "sortOrder": "ASCENDING"},
    ]
    emulator.batch(
        book,
        {"sortRange": {"range": {"sheetId": 0, "startRowIndex": 1, "endRowIndex": 6}, "sortSpecs": specs}},
    )
    assert column_a(emulator, book) == ["Title", "k0", "k3", "k4", "k2", "k1"]
    assert tagged_rows(emulator, book) == {"k0": 1, "k3": 2, "k4": 3, "k2": 4, "k1": 5}
    ascending = [{"dimensionIndex": 1, "sortOrder": "ASCENDING"}]
    emulator.batch(
        book,
        {
            "sortRange": {
                "range": {"sheetId": 0, "startRowIndex": 1, "endRowIndex": 6},
                "sortSpecs": ascending,
            }
        },
    )
    # k0 and k3 tie on 3 and keep their order; the empty N of k1 stays last.
    assert column_a(emulator, book) == ["Title", "k2", "k4", "k0", "k3", "k1"]


def test_dimension_properties_hide_and_size(emulator: SheetsEmulator, book: str) -> None:
    emulator.batch(
        book,
        {
            "updateDimensionProperties": {
                "range": dim("COLUMNS", 1, 2),
                "properties": {"hiddenByUser": True, "pixelSize": 50},
                "fields": "hiddenByUser,pixelSize",
            }
        },
        {
            "updateDimensionProperties": {
                "range": dim("ROWS", 1, 2),
                "properties": {"pixelSize": 40},
                "fields": "pixelSize",
            }
        },
    )
    got = emulator.call(
        "GET",
        f"/v4/spreadsheets/{book}",
        ranges="Calendar!A1:B2",
        fields="sheets.data(rowMetadata,columnMetadata)",
    ).json()
    data = got["sheets"][0]["data"][0]
    assert data["columnMetadata"][1] == {
        "hiddenByUser": True,
        "pixelSize": 50,
        "developerMetadata": data["columnMetadata"][1]["developerMetadata"],
    }
    assert data["rowMetadata"][1]["pixelSize"] == 40
    assert data["rowMetadata"][0] == {"pixelSize": 21}


def test_dimension_errors(emulator: SheetsEmulator, book: str) -> None:
    everything = emulator.batch(book, {"deleteDimension": {"range": dim("COLUMNS", 0, 26)}})
    assert (
        everything.json()["error"]["message"]
        == "Invalid requests[0].deleteDimension: You can't delete all the columns on the sheet."
    )
    outside = emulator.batch(
        book,
        {
            "sortRange": {
                "range": {"sheetId": 0, "startColumnIndex": 0, "endColumnIndex": 1},
                "sortSpecs": [{"dimensionIndex": 3}],
            }
        },
    )
    assert outside.status_code == 400


def test_search_by_several_lookups_and_delete(emulator: SheetsEmulator, book: str) -> None:
    lookups = [
        {"developerMetadataLookup": {"metadataValue": "k1"}},
        {"developerMetadataLookup": {"locationType": "COLUMN"}},
    ]
    found = emulator.call(
        "POST", f"/v4/spreadsheets/{book}/developerMetadata:search", {"dataFilters": lookups}
    ).json()
    assert sorted(m["developerMetadata"]["metadataValue"] for m in found["matchedDeveloperMetadata"]) == [
        "N",
        "k1",
    ]
    reply = emulator.batch(book, {"deleteDeveloperMetadata": {"dataFilter": lookups[0]}}).json()["replies"][0]
    assert [m["metadataValue"] for m in reply["deleteDeveloperMetadata"]["deletedDeveloperMetadata"]] == [
        "k1"
    ]
    none = emulator.call(
        "POST", f"/v4/spreadsheets/{book}/developerMetadata:search", {"dataFilters": lookups[:1]}
    ).json()
    assert none == {}
