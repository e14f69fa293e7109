"""gspread, a Sheets and Drive client nobody here wrote, works unchanged against the emulator.

Authentication is google-auth's real service-account flow: the JWT assertion is signed with a fresh RSA key
and exchanged at the emulator's POST /token, so gspread acts as the service account: it sees only what
it created or what was shared with it, as on Google. Its Drive-backed calls (create, open by title,
openall, list, copy, delete, share) go to the emulator's /drive/v3.
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

SCOPES = ["https://www.googleapis.com/auth/spreadsheets", "https://www.googleapis.com/auth/drive"]
HOSTS = ("https://sheets.googleapis.com", "https://www.googleapis.com")
ROBOT = "robot@emulator.iam.gserviceaccount.com"


class EmulatorSession(AuthorizedSession):
    """An AuthorizedSession that sends gspread's Sheets and Drive URLs to the emulator instead."""

    def __init__(self, credentials: Any, base_url: str) -> None:
        super().__init__(credentials)
        self.base_url = base_url

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        for host in HOSTS:
            if url.startswith(host):
                url = self.base_url + url[len(host) :]
        return super().request(method, url, *args, **kwargs)


def key_file(tmp: Path, token_uri: str, email: str = ROBOT) -> Path:
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
        "client_email": email,
        "client_id": "1",
        "token_uri": token_uri,
    }
    path = tmp / f"{email}.json"
    path.write_text(json.dumps(info))
    return path


def gspread_client(emulator: SheetsEmulator, tmp: Path, email: str = ROBOT) -> gspread.Client:
    """gspread acting as the service account `email`."""
    path = key_file(tmp, f"{emulator.url}/token", email)
    credentials = service_account.Credentials.from_service_account_file(str(path), scopes=SCOPES)
    return gspread.Client(auth=credentials, session=EmulatorSession(credentials, emulator.url))


@pytest.fixture(scope="module")
def client(emulator: SheetsEmulator, tmp_path_factory: pytest.TempPathFactory) -> Iterator[gspread.Client]:
    gc = gspread_client(emulator, tmp_path_factory.mktemp("sa"))
    yield gc
    gc.http_client.session.close()


@pytest.fixture
def book(client: gspread.Client) -> gspread.Spreadsheet:
    return client.create("Calendar book")


def test_service_account_token_is_issued_by_the_emulator(
    emulator: SheetsEmulator, client: gspread.Client
) -> None:
    client.create("auth")
    token = client.http_client.session.credentials.token
    assert token.startswith("ya29.emulator-")


def test_open_by_key_reads_what_is_shared_with_it(emulator: SheetsEmulator, client: gspread.Client) -> None:
    spreadsheet_id = emulator.create("Marketing plan", tabs=["Calendar", "Archive"])
    with pytest.raises(PermissionError):  # 403, not 404: it exists but is not shared
        client.open_by_key(spreadsheet_id)
    emulator.share(spreadsheet_id, ROBOT, "reader")
    book = client.open_by_key(spreadsheet_id)
    assert book.title == "Marketing plan"
    assert [ws.title for ws in book.worksheets()] == ["Calendar", "Archive"]
    assert book.sheet1.row_count == 1000 and book.sheet1.col_count == 26
    with pytest.raises(gspread.exceptions.APIError) as caught:  # a reader cannot write
        book.sheet1.update([["x"]], "A1")
    assert caught.value.response.status_code == 403


def test_drive_create_open_by_title_openall_list_and_delete(client: gspread.Client) -> None:
    created = client.create("Q3 editorial plan")
    assert created.sheet1.title == "Sheet1"
    assert client.open("Q3 editorial plan").id == created.id
    assert created.id in {s.id for s in client.openall("Q3 editorial plan")}
    listed = {f["id"]: f for f in client.list_spreadsheet_files()}
    assert listed[created.id]["name"] == "Q3 editorial plan"
    assert set(listed[created.id]) == {"id", "name", "createdTime", "modifiedTime"}
    assert created.creationTime <= created.get_lastUpdateTime()
    client.del_spreadsheet(created.id)
    with pytest.raises(gspread.exceptions.SpreadsheetNotFound):
        client.open("Q3 editorial plan")
    with pytest.raises(gspread.exceptions.SpreadsheetNotFound):
        client.open_by_key(created.id)


def test_copy_keeps_the_content_but_not_the_sharing(client: gspread.Client) -> None:
    original = client.create("Original")
    original.sheet1.update([["Title"], ["Launch"]], "A1")
    original.share("ed@example.org", perm_type="user", role="writer", notify=False)
    copied = client.copy(original.id)
    assert copied.title == "Copy of Original"
    assert copied.sheet1.get_all_values() == [["Title"], ["Launch"]]
    assert [(p["emailAddress"], p["role"]) for p in copied.list_permissions()] == [(ROBOT, "owner")]
    assert client.copy(original.id, title="Plan B", copy_comments=False).title == "Plan B"


def test_copy_permissions_fails_as_on_google(client: gspread.Client) -> None:
    # gspread 6 re-creates the owner's permission too, which Drive refuses without transferOwnership
    # (reported against the real API: burnash/gspread#1544).
    original = client.create("Shared original")
    with pytest.raises(gspread.exceptions.APIError) as caught:
        client.copy(original.id, copy_permissions=True)
    assert caught.value.response.status_code == 403
    error = caught.value.response.json()["error"]
    assert error["message"] == (
        "The transferOwnership parameter must be enabled when the permission role is 'owner'."
    )
    assert error["errors"][0]["reason"] == "forbidden"


def test_share_list_and_remove_permissions(emulator: SheetsEmulator, client: gspread.Client) -> None:
    book = client.create("Shared plan")
    book.share("chief@example.org", perm_type="user", role="writer", notify=True, email_message="Hi")
    book.share("example.com", perm_type="domain", role="reader", notify=False)
    by_type = {p["type"]: p for p in book.list_permissions()}
    assert by_type["user"]["role"] == "writer" and by_type["domain"]["domain"] == "example.com"
    assert {"to": "chief@example.org", "message": "Hi"}.items() <= emulator.state.drive.outbox[-1].items()
    chief = emulator.as_user("chief@example.org")
    assert chief.get(f"{emulator.url}/v4/spreadsheets/{book.id}", timeout=10).status_code == 200
    book.remove_permissions("chief@example.org")
    assert chief.get(f"{emulator.url}/v4/spreadsheets/{book.id}", timeout=10).status_code == 403


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


def test_protected_range_binds_other_editors(
    emulator: SheetsEmulator, client: gspread.Client, tmp_path: Path
) -> None:
    book = client.create("Protected plan")
    ws = book.sheet1
    ws.add_protected_range("A1:B1", editor_users_emails=[ROBOT])
    book.share("helper@emulator.iam.gserviceaccount.com", perm_type="user", role="writer", notify=False)
    helper = gspread_client(emulator, tmp_path, "helper@emulator.iam.gserviceaccount.com")
    theirs = helper.open_by_key(book.id).sheet1
    with pytest.raises(gspread.exceptions.APIError) as caught:
        theirs.update([["no"]], "A1")
    assert caught.value.response.status_code == 403
    assert caught.value.response.json()["error"]["status"] == "PERMISSION_DENIED"
    theirs.update([["yes"]], "C1")  # outside the range
    ws.update([["mine"]], "A1")  # the range's editor
    assert ws.get_all_values() == [["mine", "", "yes"]]
