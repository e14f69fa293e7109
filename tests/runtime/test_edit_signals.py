"""Drive push messages and instant hints become runs only when verified; attribution names the editor."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from app.config.models import Config, parse_config
from app.runtime.attribution import Attribution
from app.runtime.drive_push import DriveNotifications
from app.runtime.sheet_hints import SheetHints, pair_key, sign
from app.runtime.tracker import RunTracker
from app.store.drive_state import DriveChannel
from app.store.store import Store
from connectors.drive.client import LastEdit
from connectors.emulators.sheets.hints import sign as emulator_sign
from tests.support.fake_drive import FakeDrive

SECRET = "hint-base-secret"
EDITED_AT = datetime(2026, 12, 1, 10, 0, tzinfo=UTC).timestamp()
CONFIG = """
pairs:
  - name: alpha
    trello: {board: AbCdEfGh}
    sheet: {spreadsheet: s1, tab: Calendar}
    columns: [{header: Title, field: name}]
  - name: beta
    trello: {board: BbBbBbBb}
    sheet: {spreadsheet: s1, tab: Ideas}
    columns: [{header: Title, field: name}]
  - name: gamma
    trello: {board: CcCcCcCc}
    sheet: {spreadsheet: s2, tab: Calendar}
    columns: [{header: Title, field: name}]
"""


class Requests:
    """Records run requests (CoordinatorGroup's `request`)."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, str]] = []

    def request(self, name: str, reason: str, *, force: bool = False) -> bool:
        self.asked.append((name, reason))
        return True


def config() -> Config:
    return parse_config(CONFIG)


def pairs_of(spreadsheet: str) -> list[str]:
    return [p.name for p in config().pairs if p.sheet.spreadsheet == spreadsheet]


def channel(store: Store, token: str = "the-channel-token") -> DriveChannel:
    row = DriveChannel("chan-1", "s1", "res-1", token, datetime.now(UTC) + timedelta(hours=1), "r1")
    store.save_drive_channel(row)
    return row


def headers(chan: str, token: str, state: str = "update") -> dict[str, str]:
    return {
        "x-goog-channel-id": chan,
        "x-goog-channel-token": token,
        "x-goog-resource-id": "res-1",
        "x-goog-resource-state": state,
        "x-goog-changed": "content",
        "x-goog-message-number": "2",
    }


def test_an_update_on_a_known_channel_requests_every_pair_on_that_spreadsheet(store: Store) -> None:
    channel(store)
    runs, tracker = Requests(), RunTracker()
    push = DriveNotifications(store, pairs_of, runs, tracker)
    assert push.accept(headers("chan-1", "the-channel-token")) == "accepted"
    assert runs.asked == [("alpha", "drive"), ("beta", "drive")]
    assert set(tracker.last_notice) == {("alpha", "drive"), ("beta", "drive")}


def test_the_sync_message_requests_nothing(store: Store) -> None:
    channel(store)
    runs = Requests()
    push = DriveNotifications(store, pairs_of, runs, RunTracker())
    assert push.accept(headers("chan-1", "the-channel-token", state="sync")) == "sync"
    assert runs.asked == []


def test_a_forged_token_requests_nothing_and_notes_nothing(store: Store) -> None:
    channel(store)
    runs, tracker, drive = Requests(), RunTracker(), FakeDrive()
    push = DriveNotifications(store, pairs_of, runs, tracker, stopper=drive)
    assert push.accept(headers("chan-1", "the-channel-tokeN")) == "bad_token"
    assert push.accept(headers("chan-1", "")) == "bad_token"
    assert push.accept(headers("chan-1", "é")) == "bad_token"  # non-ASCII junk cannot raise
    assert runs.asked == [] and tracker.last_notice == {}
    assert drive.stopped == [] and len(store.drive_channels()) == 1  # our channel is not stopped


def test_an_unknown_channel_is_stopped_once_and_requests_nothing(store: Store) -> None:
    runs, drive = Requests(), FakeDrive()
    drive.open["stray"] = {"file": "s1"}
    push = DriveNotifications(store, pairs_of, runs, RunTracker(), stopper=drive)
    assert push.accept(headers("stray", "whatever")) == "unknown_channel"
    assert push.accept(headers("stray", "whatever")) == "unknown_channel"
    assert drive.stopped == ["stray"]
    assert runs.asked == []


def hint(
    spreadsheet: str = "s1",
    tab: str = "Calendar",
    editor: str = "chief@example.org",
    edited_at: str = "2026-12-01T10:00:00.000Z",
) -> bytes:
    body = {
        "spreadsheetId": spreadsheet,
        "sheetId": 0,
        "sheetName": tab,
        "range": "B2",
        "editor": editor,
        "editedAt": edited_at,
    }
    return json.dumps(body, separators=(",", ":")).encode()


def hints(store: Store, runs: Requests, secret: str | None = SECRET) -> SheetHints:
    return SheetHints(config(), secret, store, runs, RunTracker(), lambda: EDITED_AT)


def test_a_signed_hint_requests_a_run_of_its_pair_and_remembers_the_editor(store: Store) -> None:
    runs, body = Requests(), hint()
    signature = sign(pair_key(SECRET, "alpha"), body)
    assert hints(store, runs).accept(body, signature) == "accepted"
    assert runs.asked == [("alpha", "sheet-edit")]
    edit = store.last_sheet_edit("alpha")
    assert edit is not None and (edit.editor, edit.range) == ("chief@example.org", "B2")


def test_the_emulators_hint_signature_is_the_one_verified(store: Store) -> None:
    runs, body = Requests(), hint(tab="Ideas")
    signature = emulator_sign(pair_key(SECRET, "beta"), body)
    assert hints(store, runs).accept(body, signature, pair="beta") == "accepted"
    assert runs.asked == [("beta", "sheet-edit")]


def test_forged_hints_request_nothing(store: Store) -> None:
    runs, body = Requests(), hint()
    accept = hints(store, runs).accept
    assert accept(body, sign(pair_key(SECRET, "beta"), body)) == "bad_signature"  # another pair's key
    assert accept(body, sign(pair_key("guessed", "alpha"), body)) == "bad_signature"
    assert accept(body, sign(SECRET, body)) == "bad_signature"  # the base secret is not a pair key
    assert accept(body + b" ", sign(pair_key(SECRET, "alpha"), body)) == "bad_signature"  # body changed
    assert accept(hint(editor="x@y"), sign(pair_key(SECRET, "alpha"), body)) == "bad_signature"
    assert accept(body, None) == "bad_signature"
    assert accept(body, sign(pair_key(SECRET, "alpha"), body), pair="gamma") == "bad_signature"
    assert hints(store, runs, secret=None).accept(body, sign(pair_key(SECRET, "alpha"), body)) != "accepted"
    assert runs.asked == [] and store.last_sheet_edit("alpha") is None


def test_a_replayed_or_undated_hint_is_refused(store: Store) -> None:
    runs = Requests()
    accept = hints(store, runs).accept
    for edited_at in ("2026-12-01T09:40:00.000Z", "2026-12-01T10:20:00Z", "", "2026-12-01T10:00:00"):
        body = hint(edited_at=edited_at)
        assert accept(body, sign(pair_key(SECRET, "alpha"), body)) == "stale", edited_at
    body = hint(edited_at="2026-12-01T10:14:00+00:00")  # within the window, another offset form
    assert accept(body, sign(pair_key(SECRET, "alpha"), body)) == "accepted"
    assert runs.asked == [("alpha", "sheet-edit")]


def test_attribution_prefers_a_fresh_hint_then_drive_marked_approximate(store: Store) -> None:
    drive = FakeDrive()
    drive.last = LastEdit("bob@example.org", "Bob", me=False, modified_time="", version="9")
    who = Attribution(store, drive, lambda pair: config().pair(pair).sheet.spreadsheet)
    found = who.editor("alpha")
    assert found is not None and (found.email, found.approximate) == ("bob@example.org", True)
    assert found.label() == "~bob@example.org (approximate)"
    store.note_sheet_edit("alpha", "chief@example.org", "B2")
    found = who.editor("alpha", since=datetime.now(UTC) - timedelta(minutes=1))
    assert found is not None and (found.email, found.approximate, found.source) == (
        "chief@example.org",
        False,
        "hint",
    )
    later = who.editor("alpha", since=datetime.now(UTC) + timedelta(minutes=1))  # the hint is older
    assert later is not None and later.source == "drive"


def test_attribution_names_nobody_for_our_own_write(store: Store) -> None:
    drive = FakeDrive()
    drive.last = LastEdit("svc@project.iam.gserviceaccount.com", "", me=True, modified_time="", version="9")
    who = Attribution(store, drive, lambda pair: "s1")
    assert who.editor("alpha") is None
    assert Attribution(store, None, lambda pair: "s1").editor("alpha") is None
