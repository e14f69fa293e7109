"""gspread, a Sheets client nobody here wrote, works unchanged against the emulator.

Authentication is google-auth's real service-account flow: the JWT assertion is signed with a fresh RSA key
and exchanged at the emulator's POST /token.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gspread
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from google.auth.transport.requests import AuthorizedSession
from google.oauth2 import service_account

from tests.support.sheets_emulator import SheetsEmulator

pytestmark = pytest.mark.http  # the emulator over loopback

SCOPES = ["https://www.googleapis.com/auth/spreadsheets"]
GOOGLE = "https://sheets.googleapis.com"


class EmulatorSession(AuthorizedSession):
    """An AuthorizedSession that sends gspread's sheets.googleapis.com URLs to the emulator instead."""

    def __init__(self, credentials: Any, base_url: str) -> None:
        super().__init__(credentials)
        self.base_url = base_url

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        if url.startswith(GOOGLE):
            url = self.base_url + url[len(GOOGLE) :]
        return super().request(method, url, *args, **kwargs)


def key_file(tmp: Path, token_uri: str) -> Path:
    """A service-account JSON key file whose token_uri points at the emulator."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    info = {
        "type": "service_account",
        "project_id": "emulator",
        "private_key_id": "k1",
        "private_key": pem,
        "client_email": "robot@emulator.iam.gserviceaccount.com",
        "client_id": "1",
        "token_uri": token_uri,
    }
    path = tmp / "key.json"
    path.write_text(json.dumps(info))
    return path


@pytest.fixture(scope="module")
def client(emulator: SheetsEmulator, tmp_path_factory: pytest.TempPathFactory) -> Iterator[gspread.Client]:
    path = key_file(tmp_path_factory.mktemp("sa"), f"{emulator.url}/token")
    credentials = service_account.Credentials.from_service_account_file(str(path), scopes=SCOPES)
    session = EmulatorSession(credentials, emulator.url)
    yield gspread.Client(auth=credentials, session=session)
    session.close()


@pytest.fixture
def book(emulator: SheetsEmulator, client: gspread.Client) -> gspread.Spreadsheet:
    return client.open_by_key(emulator.create("Calendar book", tabs=["Sheet1"]))


def test_service_account_token_is_issued_by_the_emulator(
    emulator: SheetsEmulator, client: gspread.Client
) -> None:
    client.open_by_key(emulator.create("auth"))
    token = client.http_client.session.credentials.token
    assert token.startswith("ya29.emulator-")


def test_open_by_key_reads_the_metadata(emulator: SheetsEmulator, client: gspread.Client) -> None:
    spreadsheet_id = emulator.create("Marketing plan", tabs=["Calendar", "Archive"])
    book = client.open_by_key(spreadsheet_id)
    assert book.title == "Marketing plan"
    assert [ws.title for ws in book.worksheets()] == ["Calendar", "Archive"]
    assert book.sheet1.row_count == 1000 and book.sheet1.col_count == 26


def test_add_worksheet_update_and_get_all_values(book: gspread.Spreadsheet) -> None:
    ws = book.add_worksheet("Q3 plan", rows=20, cols=5)
    ws.update([["Title", "Due"], ["Launch", "2024-07-01"]], "A1")
    assert ws.get_all_values() == [["Title", "Due"], ["Launch", "2024-07-01"]]
    assert [w.title for w in book.worksheets()] == ["Sheet1", "Q3 plan"]
    assert (ws.row_count, ws.col_count) == (20, 5)


def test_user_entered_values_are_typed(book: gspread.Spreadsheet) -> None:
    ws = book.sheet1
    ws.update([["=2*21", "2024-07-01", "TRUE", "1,234.5"]], "A1", value_input_option="USER_ENTERED")
    assert ws.get_all_values() == [["42", "2024-07-01", "TRUE", "1,234.5"]]
    unformatted = ws.get("A1:D1", value_render_option="UNFORMATTED_VALUE")
    assert unformatted == [[42, 45474, True, 1234.5]]
    assert ws.acell("A1", value_render_option="FORMULA").value == "=2*21"


def test_append_row_goes_after_the_table(book: gspread.Spreadsheet) -> None:
    ws = book.sheet1
    ws.update([["Title", "Due"], ["One", "Mon"]], "A1")
    ws.append_row(["Two", "Tue"])
    ws.append_row(["Three", "Wed"], insert_data_option="INSERT_ROWS")
    assert ws.get_all_values() == [["Title", "Due"], ["One", "Mon"], ["Two", "Tue"], ["Three", "Wed"]]


def test_batch_update_writes_several_ranges(book: gspread.Spreadsheet) -> None:
    ws = book.sheet1
    result = ws.batch_update([{"range": "A1:B1", "values": [["a", "b"]]}, {"range": "D3", "values": [["d"]]}])
    assert result["totalUpdatedCells"] == 3
    assert ws.get_all_values() == [["a", "b", "", ""], ["", "", "", ""], ["", "", "", "d"]]


def test_delete_rows_and_sort(book: gspread.Spreadsheet) -> None:
    ws = book.sheet1
    ws.update([["Name", "N"], ["c", "3"], ["a", "1"], ["x", "9"], ["b", "2"]], "A1")
    ws.delete_rows(4)
    ws.sort((2, "des"), range="A2:B4")
    assert ws.get_all_values() == [["Name", "N"], ["c", "3"], ["b", "2"], ["a", "1"]]
    assert ws.row_count == 999


def test_format_sets_the_cell_format(emulator: SheetsEmulator, book: gspread.Spreadsheet) -> None:
    ws = book.sheet1
    ws.update([["Header"]], "A1")
    ws.format("A1", {"textFormat": {"bold": True}, "backgroundColor": {"red": 1, "green": 0.9, "blue": 0}})
    fmt = emulator.state.get(book.id).sheets[0].cell(0, 0)["userEnteredFormat"]
    assert fmt["textFormat"]["bold"] is True
    assert fmt["backgroundColor"] == {"red": 1, "green": 0.9}
    assert fmt["backgroundColorStyle"] == {"rgbColor": {"red": 1, "green": 0.9}}


def test_freeze_and_errors_surface_as_api_errors(book: gspread.Spreadsheet) -> None:
    ws = book.sheet1
    ws.freeze(rows=1)
    assert book.fetch_sheet_metadata()["sheets"][0]["properties"]["gridProperties"]["frozenRowCount"] == 1
    with pytest.raises(gspread.exceptions.APIError) as caught:
        book.values_get("'No such tab'!A1")
    assert caught.value.response.status_code == 400
    assert "Unable to parse range" in str(caught.value)
