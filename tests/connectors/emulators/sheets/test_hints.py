"""The signed "sheet edited" hint the emulator posts after a Google user's write (docs/emulators.md).

It stands for an on-edit Apps Script: edits by people fire it, API writes by service accounts and test users
do not ("Script executions and API requests do not cause triggers to run",
https://developers.google.com/apps-script/guides/triggers).
"""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest
import requests

from connectors.emulators.sheets.hints import EditHints
from tests.support.sheets_emulator import SheetsEmulator, running_sheets
from tests.support.trello_emulator import Receiver

pytestmark = pytest.mark.http  # the emulator and a receiver over loopback

SECRET = "hint-secret"
CHIEF = "chief@example.org"


def hints(emu: SheetsEmulator) -> EditHints:
    found: EditHints = emu.app.state.hints
    return found


def test_a_users_edit_posts_one_signed_hint_per_tab(receiver: Receiver) -> None:
    with running_sheets(edit_hint_url=receiver.url, edit_hint_secret=SECRET) as emu:
        book = emu.create("Plan", tabs=["Calendar", "Ideas"])
        emu.share(book, CHIEF, "writer")
        body = {
            "valueInputOption": "RAW",
            "data": [
                {"range": "Calendar!B2:C3", "values": [["a", "b"], ["c", "d"]]},
                {"range": "Ideas!A5", "values": [["idea"]]},
            ],
        }
        answer = emu.as_user(CHIEF).post(
            f"{emu.url}/v4/spreadsheets/{book}/values:batchUpdate", json=body, timeout=10
        )
        assert answer.ok
        emu.call("PUT", f"/v4/spreadsheets/{book}/values/A1", {"values": [["api"]]}, valueInputOption="RAW")
        assert hints(emu).drain()
    sent = [(json.loads(raw), headers) for raw, headers in receiver.received]
    assert len(sent) == 2  # the test user's API write posted none
    by_tab = {body["sheetName"]: body for body, _ in sent}
    assert by_tab["Calendar"] | {"editedAt": None} == {
        "spreadsheetId": book,
        "sheetId": 0,
        "sheetName": "Calendar",
        "range": "B2:C3",
        "editor": CHIEF,
        "editedAt": None,
    }
    assert by_tab["Ideas"]["range"] == "A5"
    for (raw, headers), _ in zip(receiver.received, sent, strict=True):
        expected = "sha256=" + hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest()
        assert headers["x-boardsheet-signature"] == expected


def test_hints_can_be_switched_on_while_running(receiver: Receiver) -> None:
    with running_sheets() as emu:
        book = emu.create("Plan")
        emu.share(book, CHIEF, "writer")
        put = requests.put(
            f"{emu.url}/_emulator/hints", json={"url": receiver.url, "secret": SECRET}, timeout=10
        )
        assert put.json() == {"url": receiver.url, "signed": True, "sent": 0, "failed": 0}
        path = f"{emu.url}/v4/spreadsheets/{book}/values/A1?valueInputOption=RAW"
        assert emu.as_user(CHIEF).put(path, json={"values": [["x"]]}, timeout=10).ok
        assert emu.as_user(CHIEF).put(path, json={"values": [["x"]]}, timeout=10).ok  # no change: no hint
        assert hints(emu).drain()
        assert requests.get(f"{emu.url}/_emulator/hints", timeout=10).json()["sent"] == 1
    assert len(receiver.received) == 1
