"""Replay of real Sheets v4 traffic recorded by gspread's test suite (tests/fixtures/sheets-recorded).

For each cassette: create the spreadsheets its Drive calls created (same id and title), send every Sheets
request unchanged (as the service account that recorded them), and compare status, JSON keys, value types,
and exactly the range echoes, counts, values and error texts. The Drive v3 calls are replayed by
test_drive_replay.py; docs/emulators.md says which cassette is left out and why.
"""

from __future__ import annotations

import pytest

from tests.support.sheets_emulator import SheetsEmulator
from tests.support.sheets_replay import CASSETTES, Replay, differences, load

NAMES = sorted(p.name for p in CASSETTES.glob("*.json"))


def test_the_recordings_are_all_here() -> None:
    assert len(NAMES) == 123
    assert sum(1 for name in NAMES for item in load(name) if item.is_sheets) == 1500


@pytest.mark.http
@pytest.mark.parametrize("name", NAMES)
def test_replay_matches_the_recording(emulator: SheetsEmulator, name: str) -> None:
    replay = Replay(emulator)
    problems = replay.run(name)
    assert problems == []
    assert replay.sent > 0


def test_the_comparison_notices_what_matters() -> None:
    recorded = {"range": "Sheet1!A1:B2", "values": [["a"]], "n": 1, "nested": {"x": True}}
    assert (
        differences(recorded, {"range": "Sheet1!A1:B2", "values": [["a"]], "n": 2.5, "nested": {"x": False}})
        == []
    )
    assert differences(recorded, {**recorded, "range": "Sheet1!A1:B3"}) == [
        "$.range: 'Sheet1!A1:B2' recorded, 'Sheet1!A1:B3' answered"
    ]
    assert differences(recorded, {**recorded, "extra": 1}) != []
    assert differences(recorded, {**recorded, "nested": {"x": "yes"}}) == [
        "$.nested.x: bool recorded, str answered"
    ]
    assert differences(recorded, {**recorded, "values": [["a"], ["b"]]}) != []
