"""One card per idea even when `boardsheet sync` is killed between the card's POST and the row's write."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.procs import Proc
from tests.support.trello_emulator import KEY, OPS
from tests.support.waiting import wait_until
from tests.support.world import COLUMNS, World, config_text, world

INTAKE = """    intake:
      tab: Ideas
      list: Ideas
      columns:
        - {header: Idea, field: name}
        - {header: Why, field: desc}
"""


def _logged(app: Any, method: str, path_part: str) -> bool:
    """Whether an emulator's request log holds an answered request like this one."""
    return any(e["method"] == method and path_part in e["path"] for e in app.state.request_log.snapshot())


def _ideas_cards(w: World) -> list[dict[str, Any]]:
    with w.trello_client() as client:
        cards: list[dict[str, Any]] = client.get(f"/1/boards/{w.board_id}/cards").json()
    return [card for card in cards if card["name"] == "Launch countdown"]


def test_a_sync_killed_between_the_post_and_the_sheet_write_leaves_exactly_one_card(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with world(tmp_path) as w:
        w.configure(COLUMNS, INTAKE)
        config = tmp_path / "boardsheet.yaml"
        config.write_text(config_text(w.board_id, w.spreadsheet_id, COLUMNS, INTAKE), encoding="utf-8")
        w.sheets.add_tab(w.spreadsheet_id, "Ideas")
        w.sync()  # the Calendar tab filled, the Ideas tab's header written
        answer = httpx.put(
            f"{w.sheets_url}/v4/spreadsheets/{w.spreadsheet_id}/values/Ideas!A2",
            params={"valueInputOption": "USER_ENTERED"},
            headers={"Authorization": "Bearer committee"},
            json={"values": [["Launch countdown", "Days left, one post a day"]]},
        )
        assert answer.status_code == 200, answer.text
        for name, value in {
            "BOARDSHEET_CONFIG": str(config),
            "BOARDSHEET_DATABASE_URL": f"sqlite:///{tmp_path / 'state.db'}",
            "TRELLO_API_URL": w.trello_url,
            "TRELLO_API_KEY": KEY,
            "TRELLO_TOKEN": OPS,
            "GOOGLE_SHEETS_API_URL": w.sheets_url,
        }.items():
            monkeypatch.setenv(name, value)
        w.clear_logs()
        # Every Trello answer takes 2 s, so the run's POST leaves time to hold the sheet's write behind it.
        w.trello_app.state.faults.latency = 2.0
        proc = Proc("sync", "calendar")
        try:
            wait_until(lambda: _logged(w.sheets_app, "GET", w.spreadsheet_id), "the run's sheet read")
            w.sheets_app.state.faults.latency = 10.0  # the batchUpdate now waits before it is applied
            wait_until(lambda: _logged(w.trello_app, "POST", "/1/cards"), "the card's POST", timeout=60)
            proc.popen.kill()  # SIGKILL: no cleanup, no lease released, the row not written
            proc.popen.wait(30)
        finally:
            proc.kill()
        w.trello_app.state.faults.latency = 0.0
        w.sheets_app.state.faults.latency = 0.0
        time.sleep(0.1)
        assert not _logged(w.sheets_app, "POST", ":batchUpdate"), "the write landed before the kill"
        assert len(_ideas_cards(w)) == 1
        assert w.values("Ideas")[1][2:] == []  # the row does not show the card yet

        w.sync()  # the next run takes over the dead process's lease at once

        [card] = _ideas_cards(w)
        assert w.values("Ideas")[1][2:] == [card["id"], card["url"], "Ideas"]
