"""Drive v3 permissions.* on the Sheets emulator: roles, types, ownership, notification e-mails.

Documented (permissions.create reference, https://developers.google.com/drive/api/reference/rest/v3/permissions/create):
`transferOwnership` is required for role owner (reported with this exact 403: burnash/gspread#1108,
nithinmurali/pygsheets#231); `sendNotificationEmail` defaults to true for users and groups and is not allowed
for other types.
"""

from __future__ import annotations

import pytest

from tests.support.drive import create_file, drive, share
from tests.support.sheets_emulator import SheetsEmulator

pytestmark = pytest.mark.http  # the emulator over loopback

OWNER, EDITOR, READER = "owner@example.org", "editor@example.org", "reader@example.org"


def test_create_list_update_delete(emulator: SheetsEmulator) -> None:
    file_id = create_file(emulator, OWNER, "Shared")
    created = share(emulator, OWNER, file_id, EDITOR, "reader")
    assert created.status_code == 200
    permission = created.json()
    assert {k: permission[k] for k in ("kind", "type", "role", "emailAddress")} == {
        "kind": "drive#permission",
        "type": "user",
        "role": "reader",
        "emailAddress": EDITOR,
    }
    assert emulator.state.drive.outbox[-1]["to"] == EDITOR  # notified by default
    listed = drive(emulator, OWNER, "GET", f"/files/{file_id}/permissions").json()
    assert listed["kind"] == "drive#permissionList"
    assert {(p["role"], p.get("emailAddress")) for p in listed["permissions"]} == {
        ("owner", OWNER),
        ("reader", EDITOR),
    }
    path = f"/files/{file_id}/permissions/{permission['id']}"
    assert drive(emulator, OWNER, "PATCH", path, {"role": "writer"}).json()["role"] == "writer"
    assert drive(emulator, OWNER, "GET", path).json()["role"] == "writer"
    assert drive(emulator, OWNER, "DELETE", path).status_code == 204
    assert drive(emulator, EDITOR, "GET", f"/files/{file_id}").status_code == 404


def test_who_may_share(emulator: SheetsEmulator) -> None:
    file_id = create_file(emulator, OWNER, "Sharing rules")
    share(emulator, OWNER, file_id, READER, "reader", sendNotificationEmail="false")
    share(emulator, OWNER, file_id, EDITOR, "writer", sendNotificationEmail="false")
    refused = share(emulator, READER, file_id, "x@example.org", "reader")
    assert refused.status_code == 403
    assert share(emulator, EDITOR, file_id, "y@example.org", "reader", sendNotificationEmail="false").ok
    owner_id = drive(emulator, OWNER, "GET", f"/files/{file_id}", fields="owners").json()["owners"][0][
        "permissionId"
    ]
    removed = drive(emulator, OWNER, "DELETE", f"/files/{file_id}/permissions/{owner_id}")
    assert removed.status_code == 403


def test_ownership_needs_transfer_ownership(emulator: SheetsEmulator) -> None:
    file_id = create_file(emulator, OWNER, "Handover")
    refused = share(emulator, OWNER, file_id, EDITOR, "owner")
    assert refused.status_code == 403
    assert refused.json()["error"]["message"] == (
        "The transferOwnership parameter must be enabled when the permission role is 'owner'."
    )
    moved = share(emulator, OWNER, file_id, EDITOR, "owner", transferOwnership="true")
    assert moved.status_code == 200
    roles = {
        p.get("emailAddress"): p["role"]
        for p in drive(emulator, EDITOR, "GET", f"/files/{file_id}/permissions").json()["permissions"]
    }
    assert roles == {EDITOR: "owner", OWNER: "writer"}
    assert drive(emulator, OWNER, "DELETE", f"/files/{file_id}").status_code == 403  # no longer the owner


def test_types_and_their_rules(emulator: SheetsEmulator) -> None:
    file_id = create_file(emulator, OWNER, "Types")
    base = f"/files/{file_id}/permissions"
    anyone = drive(emulator, OWNER, "POST", base, {"type": "anyone", "role": "reader"}).json()
    assert (anyone["id"], anyone["allowFileDiscovery"]) == ("anyoneWithLink", False)
    domain = drive(
        emulator, OWNER, "POST", base, {"type": "domain", "role": "commenter", "domain": "Example.COM"}
    )
    assert domain.json()["domain"] == "example.com"
    noisy = drive(
        emulator, OWNER, "POST", base, {"type": "anyone", "role": "reader"}, sendNotificationEmail="true"
    )
    assert noisy.status_code == 400
    assert drive(emulator, OWNER, "POST", base, {"type": "user", "role": "reader"}).status_code == 400
    assert (
        drive(
            emulator, OWNER, "POST", base, {"type": "user", "role": "organizer", "emailAddress": READER}
        ).status_code
        == 400
    )
    group = drive(
        emulator,
        OWNER,
        "POST",
        base,
        {"type": "group", "role": "writer", "emailAddress": "team@example.org", "withLink": False},
    )
    assert group.status_code == 200  # a v2-only field (gspread sends withLink) is ignored, as Drive v3 does


def test_permission_changes_bump_the_version(emulator: SheetsEmulator) -> None:
    file_id = create_file(emulator, OWNER, "Versioned")
    before = int(drive(emulator, OWNER, "GET", f"/files/{file_id}", fields="version").json()["version"])
    share(emulator, OWNER, file_id, EDITOR, "reader", sendNotificationEmail="false")
    after = int(drive(emulator, OWNER, "GET", f"/files/{file_id}", fields="version").json()["version"])
    assert after > before
