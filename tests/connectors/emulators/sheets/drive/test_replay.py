"""Replay of the Drive v3 calls gspread's test suite recorded against Google (tests/fixtures/sheets-recorded).

For each cassette: every `files.create`, `files.get`, `files.list`, `files.copy`, `files.delete` and
`comments.list` call is sent as the account that recorded it, the recorded file ids swapped for the ones
the emulator chose, and the answer compared with the recording: status, and the keys and value types at
every level (a list's first file only: the recorded lists hold files of earlier runs). Calls on files
created before the recording (found by its lists) and CSV exports are not replayed.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.support.sheets_emulator import SheetsEmulator
from tests.support.sheets_replay import CASSETTES, RECORDED_ACCOUNT, differences, load

pytestmark = pytest.mark.http  # the emulator over loopback

DRIVE = "https://www.googleapis.com/drive/v3/"
NAMES = sorted(p.name for p in CASSETTES.glob("*.json"))
FILE_ID = re.compile(r"files/([A-Za-z0-9_-]{25,})")


def _shape(recorded: Any, answered: Any) -> list[str]:
    """Key and type differences; a list of files is compared by its first file."""
    if isinstance(recorded, dict) and isinstance(answered, dict) and "files" in recorded:
        recorded, answered = dict(recorded), dict(answered)
        first = (recorded.pop("files") or [None])[0], (answered.pop("files") or [None])[0]
        found = differences({**recorded, "files": []}, {**answered, "files": []})
        return found + (differences(first[0], first[1]) if None not in first else [])
    return differences(recorded, answered)


def replay(emulator: SheetsEmulator, name: str) -> tuple[int, list[str]]:
    """Send a cassette's Drive calls; how many were sent, and the differences found."""
    ours: dict[str, str] = {}
    sent, problems = 0, []
    for item in load(name):
        if not item.uri.startswith(DRIVE) or "/export" in item.uri:
            continue
        parts = urlsplit(item.uri)
        recorded_id = next(iter(FILE_ID.findall(parts.path)), None)
        if recorded_id is not None and recorded_id not in ours:
            continue  # a file of an earlier run, found by a recorded list
        path = parts.path if recorded_id is None else parts.path.replace(recorded_id, ours[recorded_id])
        body = json.loads(item.body) if item.body else None
        with emulator.as_user(RECORDED_ACCOUNT) as session:
            answer = session.request(
                item.method, emulator.url + path, params=parse_qsl(parts.query), json=body, timeout=10
            )
        sent += 1
        where = f"{name}: {item.method} {path}"
        if answer.status_code != item.status:
            problems.append(f"{where}: status {item.status} recorded, {answer.status_code} answered")
            continue
        if item.method == "POST" and isinstance(item.response, dict) and "id" in item.response:
            ours[item.response["id"]] = answer.json()["id"]  # created or copied
        if item.response:
            problems += [f"{where}: {d}" for d in _shape(item.response, answer.json())]
    return sent, problems


def test_every_recorded_drive_call_replays(emulator: SheetsEmulator) -> None:
    total, problems = 0, []
    for name in NAMES:
        sent, found = replay(emulator, name)
        total += sent
        problems += found
    assert problems == []
    assert total == 550  # creates, gets, lists, copies, deletes and comment lists of 123 cassettes
