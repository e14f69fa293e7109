"""DriveConnector against the emulator's Drive v3: channels, pushes, last modifier, its own count."""

from __future__ import annotations

from collections.abc import Iterator

import google.oauth2.credentials
import pytest
import requests

from connectors.drive.client import DriveConnector
from connectors.emulators.sheets.drive.channels import Pusher
from connectors.errors import NotFound
from connectors.metering import counting
from tests.support.sheets_emulator import TOKEN, SheetsEmulator, running_sheets
from tests.support.trello_emulator import Receiver

pytestmark = pytest.mark.http  # the emulator and a receiver over loopback

EDITOR = "editor@example.org"


@pytest.fixture
def emulator() -> Iterator[SheetsEmulator]:
    """Notifications held until flushed (an hour's push delay)."""
    with running_sheets(push_delay=3600.0) as emu:
        yield emu


def connector(emu: SheetsEmulator) -> DriveConnector:
    token = google.oauth2.credentials.Credentials(token=TOKEN)  # type: ignore[no-untyped-call]
    return DriveConnector(token, api_url=emu.url, retry_seconds=2.0)


def write(emu: SheetsEmulator, who: str | None, file_id: str, value: str) -> None:
    path = f"/v4/spreadsheets/{file_id}/values/A1?valueInputOption=RAW"
    session = emu.as_user(who) if who else emu.session()
    assert session.put(emu.url + path, json={"values": [[value]]}, timeout=10).ok


def flush(emu: SheetsEmulator) -> None:
    assert requests.put(f"{emu.url}/_emulator/push", json={"flush": True}, timeout=10).ok
    pusher: Pusher = emu.app.state.pusher
    assert pusher.drain()


def test_a_watched_spreadsheet_pushes_another_users_edit_with_our_token(
    emulator: SheetsEmulator, receiver: Receiver
) -> None:
    file_id = emulator.create("Calendar", ["Calendar"])
    emulator.share(file_id, EDITOR)
    drive = connector(emulator)
    channel = drive.watch(file_id, "chan-1", receiver.url, "secret-token", expires_at=4_000_000_000.0)
    assert channel.id == "chan-1" and channel.resource_id
    assert channel.expiration <= 4_000_000_000.0  # Drive caps it (a day)
    write(emulator, EDITOR, file_id, "moved")
    flush(emulator)
    got = [{k.lower(): v for k, v in h.items()} for _, h in receiver.received]
    assert [m["x-goog-resource-state"] for m in got] == ["sync", "update"]
    assert {m["x-goog-channel-token"] for m in got} == {"secret-token"}
    assert got[1]["x-goog-channel-id"] == "chan-1" and got[1]["x-goog-resource-id"] == channel.resource_id
    drive.stop(channel.id, channel.resource_id)
    write(emulator, EDITOR, file_id, "again")
    flush(emulator)
    assert len(receiver.received) == 2  # stopped: nothing more
    with pytest.raises(NotFound):
        drive.stop(channel.id, channel.resource_id)


def test_last_edit_names_another_user_and_marks_our_own_write(emulator: SheetsEmulator) -> None:
    file_id = emulator.create("Calendar", ["Calendar"])
    emulator.share(file_id, EDITOR)
    drive = connector(emulator)
    write(emulator, EDITOR, file_id, "by the editor")
    edit = drive.last_edit(file_id)
    assert (edit.email, edit.me) == (EDITOR, False)
    write(emulator, None, file_id, "by us")  # the connector's own identity (the same token)
    assert drive.last_edit(file_id).me is True


def test_drive_calls_are_counted_as_drive_never_as_sheets(emulator: SheetsEmulator) -> None:
    file_id = emulator.create("Calendar", ["Calendar"])
    drive = connector(emulator)
    with counting() as counts:
        drive.last_edit(file_id)
        drive.last_edit(file_id)
    assert counts == {"drive": 2, "drive read": 2}  # never "sheets": its own quota and count
    assert drive.requests_made == 2
    paths = [e["path"] for e in emulator.requests()]
    assert paths.count(f"/drive/v3/files/{file_id}") == 2


def test_a_missing_spreadsheet_is_not_found(emulator: SheetsEmulator) -> None:
    with pytest.raises(NotFound) as caught:
        connector(emulator).last_edit("no-such-file")
    assert caught.value.service == "drive"
    assert "Google Drive answered 404" in str(caught.value)
