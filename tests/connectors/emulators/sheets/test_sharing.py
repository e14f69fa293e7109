"""Who may read and write a spreadsheet, and protected ranges, as Google enforces them.

Recorded: a spreadsheet the caller cannot see answers 403 PERMISSION_DENIED "The caller does not have
permission" (ClientTest.test_access_private_spreadsheet); the user who protects a range becomes its editor
(WorksheetTest.test_add_protected_range_normal).
"""

from __future__ import annotations

from typing import Any

import pytest
import requests

from tests.support.paths import FIXTURES
from tests.support.sheets_emulator import SheetsEmulator, cell
from tests.support.sheets_replay import load

pytestmark = pytest.mark.http  # the emulator over loopback

CHIEF, INTERN, BOT = "chief@example.org", "intern@example.org", "robot@example.iam.gserviceaccount.com"


def as_(emu: SheetsEmulator, who: str, method: str, path: str, body: Any = None) -> requests.Response:
    """One call acting as a Google user."""
    with emu.as_user(who) as session:
        return session.request(method, emu.url + path, json=body, timeout=10)


def write(emu: SheetsEmulator, who: str, book: str, rng: str, value: str) -> requests.Response:
    path = f"/v4/spreadsheets/{book}/values/{rng}?valueInputOption=RAW"
    return as_(emu, who, "PUT", path, {"values": [[value]]})


def owned_by(emu: SheetsEmulator, who: str, title: str = "Plan") -> str:
    created = as_(emu, who, "POST", "/v4/spreadsheets", {"properties": {"title": title}})
    assert created.status_code == 200, created.text
    spreadsheet_id: str = created.json()["spreadsheetId"]
    return spreadsheet_id


def test_not_shared_is_403_with_the_recorded_body(emulator: SheetsEmulator) -> None:
    book = owned_by(emulator, CHIEF)
    recorded = next(i for i in load("ClientTest.test_access_private_spreadsheet.json") if i.status == 403)
    answer = as_(emulator, INTERN, "GET", f"/v4/spreadsheets/{book}")
    assert (answer.status_code, answer.json()) == (403, recorded.response)
    assert as_(emulator, INTERN, "GET", "/v4/spreadsheets/1nope").status_code == 404
    assert as_(emulator, CHIEF, "GET", f"/v4/spreadsheets/{book}").status_code == 200


@pytest.mark.parametrize(
    ("role", "reads", "writes"),
    [("reader", 200, 403), ("commenter", 200, 403), ("writer", 200, 200), ("owner", 200, 200)],
)
def test_roles(emulator: SheetsEmulator, role: str, reads: int, writes: int) -> None:
    book = owned_by(emulator, CHIEF)
    if role != "owner":
        emulator.share(book, INTERN, role)
    who = CHIEF if role == "owner" else INTERN
    assert as_(emulator, who, "GET", f"/v4/spreadsheets/{book}/values/A1").status_code == reads
    assert write(emulator, who, book, "A1", "x").status_code == writes


def test_groups_domains_and_anyone(emulator: SheetsEmulator) -> None:
    book = owned_by(emulator, CHIEF)
    emulator.share(book, "ideas@example.org", "writer", kind="group")
    assert write(emulator, INTERN, book, "A1", "x").status_code == 403
    members = {"members": [INTERN]}
    assert requests.put(f"{emulator.url}/_emulator/groups/ideas@example.org", json=members, timeout=10).ok
    assert write(emulator, INTERN, book, "A1", "x").status_code == 200
    other = owned_by(emulator, CHIEF)
    emulator.share(other, "example.org", "reader", kind="domain")
    assert as_(emulator, INTERN, "GET", f"/v4/spreadsheets/{other}").status_code == 200
    assert as_(emulator, "x@elsewhere.net", "GET", f"/v4/spreadsheets/{other}").status_code == 403
    emulator.share(other, "", "reader", kind="anyone")
    assert as_(emulator, "x@elsewhere.net", "GET", f"/v4/spreadsheets/{other}").status_code == 200


def test_privileged_test_users_may_do_everything(emulator: SheetsEmulator) -> None:
    book = owned_by(emulator, CHIEF)
    assert emulator.call(
        "PUT", f"/v4/spreadsheets/{book}/values/A1", {"values": [["t"]]}, valueInputOption="RAW"
    ).ok


def _protect(emu: SheetsEmulator, who: str, book: str, rng: dict[str, int], **extra: Any) -> int:
    body = {"requests": [{"addProtectedRange": {"protectedRange": {"range": rng, **extra}}}]}
    answer = as_(emu, who, "POST", f"/v4/spreadsheets/{book}:batchUpdate", body)
    assert answer.status_code == 200, answer.text
    protected_id: int = answer.json()["replies"][0]["addProtectedRange"]["protectedRange"]["protectedRangeId"]
    return protected_id


HEADER = {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 1}


def test_protected_range_blocks_other_writers(emulator: SheetsEmulator) -> None:
    book = owned_by(emulator, CHIEF)
    emulator.share(book, INTERN, "writer")
    _protect(emulator, CHIEF, book, HEADER)
    refused = write(emulator, INTERN, book, "A1", "mine")
    assert refused.status_code == 403
    assert refused.json()["error"]["status"] == "PERMISSION_DENIED"
    assert refused.json()["error"]["message"].startswith("You are trying to edit a protected cell or object.")
    assert write(emulator, INTERN, book, "A2", "alpha").status_code == 200
    assert write(emulator, CHIEF, book, "A1", "head").status_code == 200  # the editor (who protected it)
    # every kind of write is held to it, and a refused batch changes nothing
    requests_ = [
        {
            "updateCells": {
                "start": {"sheetId": 0, "rowIndex": 2},
                "rows": [{"values": [cell("a")]}],
                "fields": "*",
            }
        },
        {"deleteDimension": {"range": {"sheetId": 0, "dimension": "ROWS", "startIndex": 0, "endIndex": 1}}},
    ]
    batch = as_(emulator, INTERN, "POST", f"/v4/spreadsheets/{book}:batchUpdate", {"requests": requests_})
    assert batch.status_code == 403
    values = emulator.call("GET", f"/v4/spreadsheets/{book}/values/A1:A3").json()["values"]
    assert values == [["head"], ["alpha"]]
    sort = {"sortRange": {"range": {"sheetId": 0, "endRowIndex": 3}, "sortSpecs": [{"dimensionIndex": 0}]}}
    assert (
        as_(
            emulator, INTERN, "POST", f"/v4/spreadsheets/{book}:batchUpdate", {"requests": [sort]}
        ).status_code
        == 403
    )
    insert = {
        "insertDimension": {"range": {"sheetId": 0, "dimension": "ROWS", "startIndex": 1, "endIndex": 2}}
    }
    assert as_(emulator, INTERN, "POST", f"/v4/spreadsheets/{book}:batchUpdate", {"requests": [insert]}).ok


def test_warning_only_and_listed_editors_may_write(emulator: SheetsEmulator) -> None:
    book = owned_by(emulator, CHIEF)
    emulator.share(book, INTERN, "writer")
    _protect(emulator, CHIEF, book, {"sheetId": 0, "endRowIndex": 1, "endColumnIndex": 1}, warningOnly=True)
    assert write(emulator, INTERN, book, "A1", "warned").status_code == 200
    _protect(
        emulator,
        CHIEF,
        book,
        {"sheetId": 0, "startColumnIndex": 1, "endColumnIndex": 2},
        editors={"users": [INTERN]},
    )
    assert write(emulator, INTERN, book, "B5", "listed").status_code == 200
    _protect(
        emulator,
        CHIEF,
        book,
        {"sheetId": 0, "startColumnIndex": 2, "endColumnIndex": 3},
        editors={"domainUsersCanEdit": True},
    )
    assert write(emulator, INTERN, book, "C5", "same domain").status_code == 200


def test_only_editors_see_editors_and_can_remove_a_protection(emulator: SheetsEmulator) -> None:
    book = owned_by(emulator, CHIEF)
    emulator.share(book, INTERN, "writer")
    protected_id = _protect(emulator, CHIEF, book, HEADER)
    mine = as_(emulator, CHIEF, "GET", f"/v4/spreadsheets/{book}").json()["sheets"][0]["protectedRanges"][0]
    theirs = as_(emulator, INTERN, "GET", f"/v4/spreadsheets/{book}").json()["sheets"][0]["protectedRanges"][
        0
    ]
    assert mine["requestingUserCanEdit"] is True and mine["editors"] == {"users": [CHIEF]}
    assert theirs["requestingUserCanEdit"] is False and "editors" not in theirs
    delete = {"requests": [{"deleteProtectedRange": {"protectedRangeId": protected_id}}]}
    assert as_(emulator, INTERN, "POST", f"/v4/spreadsheets/{book}:batchUpdate", delete).status_code == 403
    assert as_(emulator, CHIEF, "POST", f"/v4/spreadsheets/{book}:batchUpdate", delete).status_code == 200


def test_service_account_tokens_act_as_their_account(emulator: SheetsEmulator) -> None:
    import base64
    import json

    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    assertion = f"{part({'alg': 'RS256'})}.{part({'iss': BOT, 'scope': 's'})}.sig"
    grant = {"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion": assertion}
    token = requests.post(f"{emulator.url}/oauth2/v4/token", data=grant, timeout=10).json()["access_token"]
    book = owned_by(emulator, CHIEF)
    headers = {"Authorization": f"Bearer {token}"}
    assert (
        requests.get(f"{emulator.url}/v4/spreadsheets/{book}", headers=headers, timeout=10).status_code == 403
    )
    emulator.share(book, BOT, "reader")
    assert (
        requests.get(f"{emulator.url}/v4/spreadsheets/{book}", headers=headers, timeout=10).status_code == 200
    )
    forged = {"Authorization": "Bearer ya29.emulator-garbage"}
    assert (
        requests.get(f"{emulator.url}/v4/spreadsheets/{book}", headers=forged, timeout=10).status_code == 401
    )


def test_every_write_is_a_revision_by_its_user(emulator: SheetsEmulator) -> None:
    book = owned_by(emulator, CHIEF)
    emulator.share(book, INTERN, "writer")
    write(emulator, CHIEF, book, "A1", "one")
    write(emulator, INTERN, book, "A2", "two")
    write(emulator, INTERN, book, "A2", "two")  # changes nothing: no revision
    fields = "revisions(id,lastModifyingUser(emailAddress))"
    answer = as_(emulator, CHIEF, "GET", f"/drive/v3/files/{book}/revisions?fields={fields}").json()
    assert [r["lastModifyingUser"]["emailAddress"] for r in answer["revisions"]] == [CHIEF, INTERN]
    assert (FIXTURES / "sheets-recorded" / "ClientTest.test_access_private_spreadsheet.json").is_file()
