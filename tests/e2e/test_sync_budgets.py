"""The budgets of ../shared/DESIGN.md, counted in the emulators' request logs at 999, 1,000 and 5,000 cards.

Trello answers at most 1,000 cards per read: a board below that is 1 request; from 1,000 cards on, a full
answer cannot be told from a truncated one, so the read pages on: ⌈N/1000⌉ + 1 requests at most.
"""

from __future__ import annotations

import math
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from app.config.models import parse_config
from tests.support.world import ALICE, config_text, world


def trello_budget(cards: int) -> int:
    """Trello requests a run may make on a board of `cards` cards."""
    return 1 if cards < 1000 else math.ceil(cards / 1000) + 1


@pytest.mark.slow
@pytest.mark.parametrize("cards", [999, 1_000, 5_000])
def test_run_budgets_hold_at_size(tmp_path: Path, cards: int) -> None:
    trello = trello_budget(cards)
    with world(tmp_path, cards=cards) as w:
        w.clear_logs()
        assert w.sync().rows_added == cards
        assert w.calls() == {"trello": trello, "sheets_read": 1, "sheets_write": 1}

        w.clear_logs()
        assert w.sync().outcome == "noop"
        assert w.calls() == {"trello": trello, "sheets_read": 1}  # unchanged pair: no write at all

        state = w.trello_app.state.trello
        changed = [card for card in state.cards.values()][: cards // 10]
        for card in changed:  # 10% of the cards renamed, straight in the emulator's state
            card["name"] += " (edited)"
        w.clear_logs()
        result = w.sync()
        assert result.cells_changed >= len(changed)
        assert w.calls() == {"trello": trello, "sheets_read": 1, "sheets_write": 1}
        assert w.sync().outcome == "noop"


def test_two_pairs_running_at_once_each_count_only_their_own_requests(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with world(tmp_path, cards=5) as w:
        w.sheets.add_tab(w.spreadsheet_id, "Second")
        text = config_text(w.board_id, w.spreadsheet_id)
        second = (
            text.split("pairs:", 1)[1]
            .replace("name: calendar", "name: second")
            .replace("tab: Calendar", "tab: Second")
        )
        w.config = parse_config(text + second, env={})
        # Both runs read the board, then wait for each other: each run's requests overlap the other's.
        meet = threading.Barrier(2, timeout=10)
        read_board = w.trello.board_with_actions

        def board_with_actions(board_id: str, since: str | None) -> dict[str, Any]:
            answer = read_board(board_id, since)
            meet.wait()
            return answer

        monkeypatch.setattr(w.trello, "board_with_actions", board_with_actions)
        syncer = w.syncer()
        with ThreadPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(syncer.run, ["calendar", "second"]))
        assert [(r.pair, r.trello_requests, r.sheets_reads, r.sheets_writes) for r in results] == [
            ("calendar", 1, 1, 1),
            ("second", 1, 1, 1),
        ]


def test_a_run_logging_the_board_actions_still_makes_one_trello_request(tmp_path: Path) -> None:
    with world(tmp_path) as w:
        w.sync()  # starts the pair's action mark
        with w.trello_client(ALICE) as alice:
            for name, target in (("Post 00001", "Review"), ("Post 00002", "Ideas")):
                moved = alice.put(f"/1/cards/{w.ids[name]}", params={"idList": w.ids[target]})
                assert moved.status_code == 200, moved.text
        w.clear_logs()
        result = w.sync()
        assert w.calls() == {"trello": 1, "sheets_read": 1, "sheets_write": 1}
        assert result.trello_requests == 1
        assert {c.card_name for c in w.store.recent_changes("calendar")} == {"Post 00001", "Post 00002"}
