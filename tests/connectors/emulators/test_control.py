"""Faults and limits switched while the emulators run (/_emulator/faults, /_emulator/limits), and the lost
answer: a write applied whose answer never arrives (a 503 after the change, or a dropped connection)."""

from __future__ import annotations

import pytest
import requests

from connectors.emulators.common import Faults
from tests.support.sheets_emulator import SheetsEmulator, running_sheets
from tests.support.trello_emulator import TrelloEmulator, running_trello

pytestmark = pytest.mark.http  # the emulators over loopback


def test_faults_switch_on_and_off_while_running(sheets_emulator: SheetsEmulator) -> None:
    emu = sheets_emulator
    book = emu.create("Soak")
    put = requests.put(f"{emu.url}/_emulator/faults", json={"error_rate": 1.0}, timeout=10)
    assert put.json()["error_rate"] == 1.0
    assert emu.call("GET", f"/v4/spreadsheets/{book}").status_code == 503
    requests.put(f"{emu.url}/_emulator/faults", json={"error_rate": 0}, timeout=10)
    assert emu.call("GET", f"/v4/spreadsheets/{book}").status_code == 200
    assert requests.get(f"{emu.url}/_emulator/faults", timeout=10).json() == {
        "error_rate": 0,
        "rate_limit_rate": 0.0,
        "lost_answer_rate": 0.0,
        "latency": 0.0,
        "write_delay": 0.0,
        "lost_answer": "503",
    }
    for bad in (
        {"error_rate": 2},
        {"latency": -1},
        {"write_delay": -1},
        {"nope": 1},
        {"lost_answer": "maybe"},
        [1],
    ):
        assert requests.put(f"{emu.url}/_emulator/faults", json=bad, timeout=10).status_code == 400


def test_the_sheets_quota_is_set_and_switched_off_while_running(sheets_emulator: SheetsEmulator) -> None:
    emu = sheets_emulator
    book = emu.create("Quota")
    assert requests.put(f"{emu.url}/_emulator/limits", json={"quota_per_minute": 2}, timeout=10).ok
    statuses = [emu.call("GET", f"/v4/spreadsheets/{book}").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert requests.put(f"{emu.url}/_emulator/limits", json={"quota_per_minute": None}, timeout=10).ok
    assert emu.call("GET", f"/v4/spreadsheets/{book}").status_code == 200
    assert (
        requests.put(f"{emu.url}/_emulator/limits", json={"quota_per_minute": 0}, timeout=10).status_code
        == 400
    )


def test_trello_rate_limits_are_set_and_switched_off_while_running(trello_emulator: TrelloEmulator) -> None:
    emu = trello_emulator
    emu.app.state.rate_limiter.clock = lambda: 0.0  # one frozen window: counts, not time
    assert requests.put(f"{emu.url}/_emulator/limits", json={"token_max": 2}, timeout=10).ok
    with emu.client() as c:
        answers = [c.get("/1/members/me") for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[0].headers["x-rate-limit-api-token-max"] == "2"
    assert requests.put(f"{emu.url}/_emulator/limits", json={"rate_limits": False}, timeout=10).json() == {
        "rate_limits": False,
        "token_max": 2,
        "key_max": 300,
    }
    with emu.client() as c:
        assert c.get("/1/members/me").status_code == 200


def test_a_lost_sheets_answer_still_applied_the_write() -> None:
    with running_sheets(faults=Faults(seed=1)) as emu:
        book = emu.create("Lost")
        requests.put(f"{emu.url}/_emulator/faults", json={"lost_answer_rate": 1.0}, timeout=10)
        path = f"/v4/spreadsheets/{book}/values/A1"
        lost = emu.call("PUT", path, {"values": [["applied"]]}, valueInputOption="RAW")
        assert lost.status_code == 503
        assert lost.json()["error"]["status"] == "UNAVAILABLE"
        assert emu.call("GET", path).json()["values"] == [["applied"]]  # reads are answered
        requests.put(f"{emu.url}/_emulator/faults", json={"lost_answer": "drop"}, timeout=10)
        with pytest.raises(requests.ConnectionError):
            emu.call("PUT", path, {"values": [["dropped"]]}, valueInputOption="RAW")
        requests.put(f"{emu.url}/_emulator/faults", json={"lost_answer_rate": 0}, timeout=10)
        assert emu.call("GET", path).json()["values"] == [["dropped"]]
        assert [e["status"] for e in emu.requests() if e["method"] == "PUT"] == [503, 0]


def test_a_lost_trello_answer_still_applied_the_write() -> None:
    with running_trello(faults=Faults(seed=1), rate_limits=False) as emu:
        with emu.client() as c:
            board = c.post("/1/boards", data={"name": "Lost", "defaultLists": "false"}).json()["id"]
        requests.put(f"{emu.url}/_emulator/faults", json={"lost_answer_rate": 1.0}, timeout=10)
        with emu.client() as c:
            lost = c.post("/1/lists", data={"name": "Applied", "idBoard": board})
            assert lost.status_code == 503
            lists = c.get(f"/1/boards/{board}/lists").json()
        assert [x["name"] for x in lists] == ["Applied"]
