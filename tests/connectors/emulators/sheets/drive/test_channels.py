"""Drive push notifications: files.watch, channels.stop, and what reaches the channel's address.

Documented (https://developers.google.com/drive/api/guides/push): a `sync` message first (message number 1),
then `update` messages with X-Goog-Changed; the token echoed in X-Goog-Channel-Token; one day at most for a
file channel; 5xx answers retried. Reported: Google coalesces a spreadsheet's edits into a notification
"around every 3 minutes" (googleapis/google-api-go-client#444), a delay the emulator makes settable.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from connectors.emulators.sheets.drive.channels import Pusher
from tests.support.drive import create_file, drive, share
from tests.support.sheets_emulator import SheetsEmulator, running_sheets
from tests.support.trello_emulator import Receiver
from tests.support.waiting import wait_until

pytestmark = pytest.mark.http  # the emulator and a receiver over loopback

OWNER, EDITOR = "owner@example.org", "editor@example.org"


@pytest.fixture
def emulator() -> Iterator[SheetsEmulator]:
    """A fresh emulator that holds notifications until told (push delay of an hour, then a flush)."""
    with running_sheets(push_delay=3600.0) as emu:
        yield emu


def pusher(emu: SheetsEmulator) -> Pusher:
    found: Pusher = emu.app.state.pusher
    return found


def watch(
    emu: SheetsEmulator, file_id: str, address: str, channel: str = "ch-1", **extra: Any
) -> requests.Response:
    body = {"id": channel, "type": "web_hook", "address": address, "token": "target=calendar", **extra}
    return drive(emu, OWNER, "POST", f"/files/{file_id}/watch", body)


def messages(receiver: Receiver) -> list[dict[str, str]]:
    return [{k.lower(): v for k, v in headers.items()} for _, headers in receiver.received]


def write(emu: SheetsEmulator, who: str, file_id: str, value: str) -> None:
    path = f"/v4/spreadsheets/{file_id}/values/A1?valueInputOption=RAW"
    assert emu.as_user(who).put(emu.url + path, json={"values": [[value]]}, timeout=10).ok


def flush(emu: SheetsEmulator) -> None:
    assert requests.put(f"{emu.url}/_emulator/push", json={"flush": True}, timeout=10).ok
    assert pusher(emu).drain()


def test_watch_answers_the_channel_and_sends_sync(emulator: SheetsEmulator, receiver: Receiver) -> None:
    file_id = create_file(emulator, OWNER, "Watched")
    answer = watch(emulator, file_id, receiver.url)
    assert answer.status_code == 200
    channel = answer.json()
    assert set(channel) == {"kind", "id", "resourceId", "resourceUri", "token", "expiration"}
    assert (channel["kind"], channel["id"], channel["token"]) == ("api#channel", "ch-1", "target=calendar")
    expires_in = int(channel["expiration"]) / 1000 - time.time()
    assert 3500 < expires_in <= 3600  # the default hour
    assert pusher(emulator).drain()
    (sync,) = messages(receiver)
    assert sync["x-goog-resource-state"] == "sync" and sync["x-goog-message-number"] == "1"
    assert sync["x-goog-channel-id"] == "ch-1" and sync["x-goog-channel-token"] == "target=calendar"
    assert sync["x-goog-resource-id"] == channel["resourceId"]
    assert sync["x-goog-channel-expiration"].endswith(" GMT")
    assert "x-goog-changed" not in sync


def test_edits_are_coalesced_into_one_update(emulator: SheetsEmulator, receiver: Receiver) -> None:
    file_id = create_file(emulator, OWNER, "Coalesced")
    share(emulator, OWNER, file_id, EDITOR, "writer", sendNotificationEmail="false")
    watch(emulator, file_id, receiver.url)
    for value in ("a", "b", "c"):
        write(emulator, EDITOR, file_id, value)
    flush(emulator)
    _sync, update = messages(receiver)
    assert update["x-goog-resource-state"] == "update"
    assert update["x-goog-changed"] == "content"
    assert update["x-goog-message-number"] == "2"
    share(emulator, OWNER, file_id, "third@example.org", "reader", sendNotificationEmail="false")
    rename = {
        "requests": [{"updateSpreadsheetProperties": {"properties": {"title": "New"}, "fields": "title"}}]
    }
    assert (
        emulator.as_user(OWNER)
        .post(f"{emulator.url}/v4/spreadsheets/{file_id}:batchUpdate", json=rename, timeout=10)
        .ok
    )
    flush(emulator)
    assert messages(receiver)[-1]["x-goog-changed"] == "permissions,properties"
    flush(emulator)  # nothing pending: nothing sent
    assert len(receiver.received) == 3


def test_the_delay_decides_when_a_change_is_told(receiver: Receiver) -> None:
    with running_sheets(push_delay=0.05) as emu:
        file_id = create_file(emu, OWNER, "Quick")
        watch(emu, file_id, receiver.url)
        write(emu, OWNER, file_id, "x")
        wait_until(lambda: len(receiver.received) == 2, "the update after one tick")
        assert messages(receiver)[1]["x-goog-resource-state"] == "update"


def test_stop_and_unknown_channels(emulator: SheetsEmulator, receiver: Receiver) -> None:
    file_id = create_file(emulator, OWNER, "Stopped")
    channel = watch(emulator, file_id, receiver.url).json()
    assert watch(emulator, file_id, receiver.url).status_code == 400  # the same channel id twice
    wrong = drive(emulator, OWNER, "POST", "/channels/stop", {"id": "ch-1", "resourceId": "nope"})
    assert wrong.status_code == 404
    stopped = drive(
        emulator, OWNER, "POST", "/channels/stop", {"id": "ch-1", "resourceId": channel["resourceId"]}
    )
    assert stopped.status_code == 204
    write(emulator, OWNER, file_id, "after")
    flush(emulator)
    assert [m["x-goog-resource-state"] for m in messages(receiver)] == ["sync"]


def test_strangers_cannot_watch_and_expiry_is_capped(emulator: SheetsEmulator, receiver: Receiver) -> None:
    file_id = create_file(emulator, OWNER, "Private")
    body = {"id": "x", "type": "web_hook", "address": receiver.url}
    assert drive(emulator, "stranger@example.net", "POST", f"/files/{file_id}/watch", body).status_code == 404
    far = int((time.time() + 7 * 86400) * 1000)
    channel = watch(emulator, file_id, receiver.url, channel="long", expiration=str(far)).json()
    assert int(channel["expiration"]) / 1000 - time.time() <= 86400
    assert watch(emulator, file_id, receiver.url, channel="bad", type="email").status_code == 400


def test_deleting_the_file_tells_remove(emulator: SheetsEmulator, receiver: Receiver) -> None:
    file_id = create_file(emulator, OWNER, "Doomed")
    watch(emulator, file_id, receiver.url)
    assert drive(emulator, OWNER, "DELETE", f"/files/{file_id}").status_code == 204
    flush(emulator)
    assert messages(receiver)[-1]["x-goog-resource-state"] == "remove"
    assert pusher(emulator).channels == {}


def test_server_errors_are_retried(emulator: SheetsEmulator, receiver: Receiver) -> None:
    receiver.script = [503, 200]
    file_id = create_file(emulator, OWNER, "Flaky")
    watch(emulator, file_id, receiver.url)
    assert pusher(emulator).drain()
    assert [s for _, _, s in pusher(emulator).delivered] == [503, 200]
    assert [m["x-goog-message-number"] for m in messages(receiver)] == ["1", "1"]  # the same message again


def test_shortening_the_delay_moves_a_waiting_delivery(emulator: SheetsEmulator, receiver: Receiver) -> None:
    file_id = create_file(emulator, OWNER, "Calendar")
    assert share(emulator, OWNER, file_id, EDITOR, "writer").ok
    assert watch(emulator, file_id, receiver.url).ok
    write(emulator, EDITOR, file_id, "armed at the hour's tick")
    assert requests.put(f"{emulator.url}/_emulator/push", json={"delay": 0.05}, timeout=10).ok
    # No flush: the waiting delivery follows the new delay by itself.
    wait_until(lambda: len(receiver.received) == 2, "the update under the shortened delay")
    assert [m["x-goog-resource-state"] for m in messages(receiver)] == ["sync", "update"]
