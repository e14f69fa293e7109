"""DriveConnector's permissions calls against the emulator's Drive v3: paged listing, grants (with or
without Drive's e-mail), role changes, removals, and errors in the connectors' tree."""

from __future__ import annotations

from collections.abc import Iterator

import google.oauth2.credentials
import pytest

from connectors.drive.client import DriveConnector
from connectors.errors import AuthError, NotFound
from tests.support.sheets_emulator import TOKEN, SheetsEmulator, running_sheets

pytestmark = pytest.mark.http  # the emulator over loopback


@pytest.fixture
def emulator() -> Iterator[SheetsEmulator]:
    with running_sheets() as emu:
        yield emu


def connector(emu: SheetsEmulator, token: str = TOKEN) -> DriveConnector:
    credentials = google.oauth2.credentials.Credentials(token=token)  # type: ignore[no-untyped-call]
    return DriveConnector(credentials, api_url=emu.url, retry_seconds=2.0, sharing=True)


def test_listing_pages_through_every_permission(emulator: SheetsEmulator) -> None:
    file_id = emulator.create("Calendar", ["Calendar"])
    for n in range(150):
        emulator.share(file_id, f"reader{n:03d}@example.org", "reader")
    emulator.clear()
    drive = connector(emulator)
    listed = drive.permissions(file_id)
    assert len(listed) == 151 and len({p.id for p in listed}) == 151
    assert sum(p.role == "owner" for p in listed) == 1
    assert len([r for r in emulator.requests() if r["path"].endswith("/permissions")]) == 2  # 100 a page


def test_grant_change_and_revoke(emulator: SheetsEmulator) -> None:
    file_id = emulator.create("Calendar", ["Calendar"])
    drive = connector(emulator)
    chief = drive.grant(file_id, "user", "Chief@Example.org", "reader")
    assert (chief.type, chief.address, chief.role) == ("user", "chief@example.org", "reader")
    domain = drive.grant(file_id, "domain", "example.org", "commenter", notify=True)  # never mailed
    assert (domain.type, domain.address, domain.discoverable) == ("domain", "example.org", False)
    assert emulator.state.drive.outbox == []
    drive.grant(file_id, "group", "ideas@example.org", "writer", notify=True)
    assert [m["to"] for m in emulator.state.drive.outbox] == ["ideas@example.org"]
    assert drive.change_role(file_id, chief.id, "writer").role == "writer"
    drive.revoke(file_id, domain.id)
    assert {p.address: p.role for p in drive.permissions(file_id)} == {
        emulator.state.drive.meta(file_id).owner: "owner",
        "chief@example.org": "writer",
        "ideas@example.org": "writer",
    }
    with pytest.raises(NotFound):
        drive.revoke(file_id, domain.id)


def test_a_reader_may_not_list_nor_share_and_the_owner_cannot_be_removed(emulator: SheetsEmulator) -> None:
    file_id = emulator.create("Calendar", ["Calendar"])
    emulator.share(file_id, "reader@example.org", "reader")
    reader = connector(emulator, "user:reader@example.org")
    with pytest.raises(AuthError):
        reader.permissions(file_id)
    with pytest.raises(AuthError):
        reader.grant(file_id, "user", "friend@example.org", "writer")
    drive = connector(emulator)
    owner = next(p for p in drive.permissions(file_id) if p.role == "owner")
    with pytest.raises(AuthError, match="The owner of a file cannot be removed"):
        drive.revoke(file_id, owner.id)  # 403 is in the AuthError branch of the one status table
