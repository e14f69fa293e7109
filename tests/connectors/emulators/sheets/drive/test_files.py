"""Drive v3 files.* and revisions on the Sheets emulator: shapes, visibility, versions, errors.

Recorded (gspread's cassettes): files.create answers kind, id, name, mimeType; `fields` selects; files.copy
names the copy "Copy of <name>"; files.delete answers 204 with no body.
"""

from __future__ import annotations

import pytest

from tests.support.drive import SPREADSHEET, create_file, drive, share
from tests.support.sheets_emulator import SheetsEmulator

pytestmark = pytest.mark.http  # the emulator over loopback

OWNER, EDITOR, STRANGER = "owner@example.org", "editor@example.org", "stranger@example.net"


def test_create_answers_drives_default_fields(emulator: SheetsEmulator) -> None:
    answer = drive(
        emulator, OWNER, "POST", "/files", {"name": "Plan", "mimeType": SPREADSHEET, "title": "v2"}
    )
    assert answer.status_code == 200
    created = answer.json()
    assert set(created) == {"kind", "id", "name", "mimeType"}
    assert (created["kind"], created["name"], created["mimeType"]) == ("drive#file", "Plan", SPREADSHEET)
    sheets = emulator.as_user(OWNER).get(f"{emulator.url}/v4/spreadsheets/{created['id']}", timeout=10).json()
    assert sheets["properties"]["title"] == "Plan"  # the same file in the Sheets API
    other = drive(emulator, OWNER, "POST", "/files", {"name": "notes.txt", "mimeType": "text/plain"})
    assert other.status_code == 400


def test_get_with_fields_owners_version_and_capabilities(emulator: SheetsEmulator) -> None:
    file_id = create_file(emulator, OWNER, "Calendar")
    fields = "id,name,mimeType,version,modifiedTime,owners,capabilities"
    first = drive(emulator, OWNER, "GET", f"/files/{file_id}", fields=fields).json()
    assert set(first) == set(fields.split(","))
    assert first["owners"][0] | {"me": True} == first["owners"][0]
    assert first["owners"][0]["emailAddress"] == OWNER
    assert first["capabilities"]["canEdit"] and first["capabilities"]["canDelete"]
    path = f"/v4/spreadsheets/{file_id}/values/A1?valueInputOption=RAW"
    emulator.as_user(OWNER).put(emulator.url + path, json={"values": [["x"]]}, timeout=10)
    second = drive(emulator, OWNER, "GET", f"/files/{file_id}", fields=fields).json()
    assert int(second["version"]) > int(first["version"])
    assert second["modifiedTime"] > first["modifiedTime"]
    share(emulator, OWNER, file_id, EDITOR, "reader", sendNotificationEmail="false")
    theirs = drive(emulator, EDITOR, "GET", f"/files/{file_id}", fields="capabilities,owners").json()
    assert theirs["owners"][0]["me"] is False
    assert not theirs["capabilities"]["canEdit"] and theirs["capabilities"]["canCopy"]


def test_strangers_get_404_and_weak_roles_403(emulator: SheetsEmulator) -> None:
    file_id = create_file(emulator, OWNER, "Secret")
    hidden = drive(emulator, STRANGER, "GET", f"/files/{file_id}")
    assert hidden.status_code == 404
    assert hidden.json()["error"]["errors"][0]["reason"] == "notFound"
    share(emulator, OWNER, file_id, EDITOR, "writer", sendNotificationEmail="false")
    refused = drive(emulator, EDITOR, "DELETE", f"/files/{file_id}")
    assert refused.status_code == 403
    assert refused.json()["error"]["errors"][0]["reason"] == "insufficientFilePermissions"
    gone = drive(emulator, OWNER, "DELETE", f"/files/{file_id}")
    assert (gone.status_code, gone.content) == (204, b"")
    assert drive(emulator, OWNER, "GET", f"/files/{file_id}").status_code == 404


def test_list_finds_by_name_and_only_what_the_caller_may_find(emulator: SheetsEmulator) -> None:
    mine = create_file(emulator, "lister@example.org", "Budget 2024")
    create_file(emulator, "lister@example.org", "Budget 2025")
    theirs = create_file(emulator, OWNER, "Budget 2024")
    q = f'mimeType="{SPREADSHEET}" and name = "Budget 2024"'
    found = drive(emulator, "lister@example.org", "GET", "/files", q=q).json()
    assert found["kind"] == "drive#fileList"
    assert [f["id"] for f in found["files"]] == [mine]
    link = {"type": "anyone", "role": "reader"}  # anyone with the link: readable, but not found by search
    drive(emulator, OWNER, "POST", f"/files/{theirs}/permissions", link)
    assert [f["id"] for f in drive(emulator, "lister@example.org", "GET", "/files", q=q).json()["files"]] == [
        mine
    ]
    assert drive(emulator, "lister@example.org", "GET", f"/files/{theirs}").status_code == 200
    contains = drive(emulator, "lister@example.org", "GET", "/files", q="name contains 'Budget'", pageSize=1)
    page = contains.json()
    assert len(page["files"]) == 1 and "nextPageToken" in page
    rest = drive(
        emulator,
        "lister@example.org",
        "GET",
        "/files",
        q="name contains 'Budget'",
        pageToken=page["nextPageToken"],
    )
    assert len(rest.json()["files"]) == 1 and "nextPageToken" not in rest.json()
    assert drive(emulator, "lister@example.org", "GET", "/files", q="title = 'x'").status_code == 400


def test_copy_is_the_callers(emulator: SheetsEmulator) -> None:
    file_id = create_file(emulator, OWNER, "Template")
    share(emulator, OWNER, file_id, EDITOR, "reader", sendNotificationEmail="false")
    copied = drive(
        emulator, EDITOR, "POST", f"/files/{file_id}/copy", {"name": None, "mimeType": SPREADSHEET}
    )
    assert copied.status_code == 200
    assert copied.json()["name"] == "Copy of Template"
    owners = drive(emulator, EDITOR, "GET", f"/files/{copied.json()['id']}", fields="owners").json()["owners"]
    assert owners[0]["emailAddress"] == EDITOR


def test_bad_bodies_and_missing_credentials(emulator: SheetsEmulator) -> None:
    wrong_type = drive(emulator, OWNER, "POST", "/files", {"name": ["a"], "mimeType": SPREADSHEET})
    assert wrong_type.status_code == 400
    anonymous = emulator.session(token=None).get(f"{emulator.url}/drive/v3/files", timeout=10)
    assert anonymous.status_code == 401
    error = anonymous.json()["error"]
    assert error["errors"][0] == {
        "message": "Login Required.",
        "domain": "global",
        "reason": "required",
        "location": "Authorization",
        "locationType": "header",
    }


def test_comments_need_fields(emulator: SheetsEmulator) -> None:
    file_id = create_file(emulator, OWNER, "Commented")
    assert drive(emulator, OWNER, "GET", f"/files/{file_id}/comments").status_code == 400
    listed = drive(
        emulator, OWNER, "GET", f"/files/{file_id}/comments", fields="comments/content,nextPageToken"
    )
    assert listed.json() == {"comments": []}


def test_revisions_name_who_wrote(emulator: SheetsEmulator) -> None:
    file_id = create_file(emulator, OWNER, "Revised")
    share(emulator, OWNER, file_id, EDITOR, "writer", sendNotificationEmail="false")
    for who, text in ((OWNER, "a"), (EDITOR, "b")):
        path = f"/v4/spreadsheets/{file_id}/values/A1?valueInputOption=RAW"
        assert emulator.as_user(who).put(emulator.url + path, json={"values": [[text]]}, timeout=10).ok
    listed = drive(emulator, OWNER, "GET", f"/files/{file_id}/revisions").json()
    assert set(listed) == {"kind", "revisions"}
    assert set(listed["revisions"][0]) == {"kind", "id", "mimeType", "modifiedTime"}
    last = listed["revisions"][-1]["id"]
    one = drive(
        emulator, OWNER, "GET", f"/files/{file_id}/revisions/{last}", fields="lastModifyingUser"
    ).json()
    assert one["lastModifyingUser"]["emailAddress"] == EDITOR
    who = drive(emulator, OWNER, "GET", f"/files/{file_id}", fields="lastModifyingUser").json()
    assert who["lastModifyingUser"]["emailAddress"] == EDITOR
    share(emulator, OWNER, file_id, "viewer@example.org", "reader", sendNotificationEmail="false")
    assert drive(emulator, "viewer@example.org", "GET", f"/files/{file_id}/revisions").status_code == 403
