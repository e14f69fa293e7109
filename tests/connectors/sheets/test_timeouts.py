"""A write Google may still be working on is waited for; a read that hangs is still cut off.

Google processes a Sheets request for up to 180 s before answering a timeout
(https://developers.google.com/workspace/sheets/api/limits), so a write we stop waiting for sooner may
land while we report it failed. Scaled down here: the transport's bounds are lowered (`READ_BOUND` stands
for the old single 60 s socket timeout, which reads keep), and the emulator answers late: a write applied
with its answer held (`Faults.write_delay`), a read held before it is answered (`Faults.latency`).
"""

from __future__ import annotations

from collections.abc import Iterator

import google.oauth2.credentials
import pytest

from connectors.drive.client import DriveConnector
from connectors.errors import Transient
from connectors.sheets import transport
from tests.support.clock import FakeClock
from tests.support.sheets_emulator import TOKEN, SheetsEmulator, running_sheets

pytestmark = pytest.mark.http  # the emulator over loopback

READ_BOUND = 0.5  # the old bound of every request, a read's bound still
WRITE_BOUND = 10.0  # past the emulator's late answers, as the real one is past Google's 180 s
LATE = 1.5  # an answer later than the old bound


@pytest.fixture
def emulator(monkeypatch: pytest.MonkeyPatch) -> Iterator[SheetsEmulator]:
    monkeypatch.setattr(transport, "READ_TIMEOUT", READ_BOUND)
    monkeypatch.setattr(transport, "WRITE_TIMEOUT", WRITE_BOUND)
    with running_sheets() as emu:
        yield emu


def statuses(emu: SheetsEmulator) -> list[int]:
    return [entry["status"] for entry in emu.requests()]


def test_a_batch_update_answered_after_the_old_bound_is_waited_for(emulator: SheetsEmulator) -> None:
    sheets = emulator.connector()
    spreadsheet_id = sheets.create_spreadsheet("Big batch", ["Calendar"])
    emulator.clear()
    emulator.faults.write_delay = LATE

    answer = sheets.batch_update(spreadsheet_id, [{"addSheet": {"properties": {"title": "Changes"}}}])

    assert answer["replies"][0]["addSheet"]["properties"]["title"] == "Changes"
    assert statuses(emulator) == [200]  # sent once, answered once


def test_a_read_answered_as_late_is_cut_off_and_retried_within_the_budget(
    emulator: SheetsEmulator,
) -> None:
    spreadsheet_id = emulator.connector().create_spreadsheet("Hung", ["Calendar"])
    emulator.faults.latency = LATE
    clock = FakeClock()
    hung = emulator.connector(retry_seconds=5.0, sleep=clock.sleep)

    with pytest.raises(Transient, match="timed out"):
        hung.read_tab(spreadsheet_id, "Calendar")

    assert clock.sleeps  # a read cut off changed nothing: it was tried again before giving up
    emulator.faults.latency = 0.0
    assert hung.read_tab(spreadsheet_id, "Calendar").title == "Calendar"


def test_a_write_answered_later_than_its_own_bound_fails_once_and_has_landed(
    emulator: SheetsEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What the old bound did to the big board's batch: the run fails, the write is not sent again, and
    # the sheet holds it (the next run reads it there: tests/e2e/test_lost_answers.py).
    sheets = emulator.connector()
    spreadsheet_id = sheets.create_spreadsheet("Cut off", ["Calendar"])
    emulator.clear()
    monkeypatch.setattr(transport, "WRITE_TIMEOUT", READ_BOUND)
    emulator.faults.write_delay = LATE

    with pytest.raises(Transient, match="timed out"):
        sheets.batch_update(spreadsheet_id, [{"addSheet": {"properties": {"title": "Changes"}}}])

    assert [entry["method"] for entry in emulator.requests()] == ["POST"]  # never resent
    emulator.faults.write_delay = 0.0
    assert "Changes" in [tab["title"] for tab in sheets.tabs(spreadsheet_id)]


def test_drive_writes_and_reads_are_held_to_the_same_bounds(emulator: SheetsEmulator) -> None:
    credentials = google.oauth2.credentials.Credentials(token=TOKEN)  # type: ignore[no-untyped-call]
    drive = DriveConnector(credentials, api_url=emulator.url, retry_seconds=0.0, sharing=True)
    file_id = emulator.create("Calendar", ["Calendar"])
    emulator.faults.write_delay = LATE

    granted = drive.grant(file_id, "user", "chief@example.org", "reader")

    assert granted.role == "reader"
    emulator.faults.write_delay, emulator.faults.latency = 0.0, LATE
    with pytest.raises(Transient, match="timed out"):
        drive.permissions(file_id)
