"""The budgets of ../shared/DESIGN.md, counted in the emulators' request logs at 1,000 and 5,000 cards."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.world import world


@pytest.mark.slow
@pytest.mark.parametrize("cards", [1_000, 5_000])
def test_run_budgets_hold_at_size(tmp_path: Path, cards: int) -> None:
    with world(tmp_path, cards=cards) as w:
        w.clear_logs()
        assert w.sync().rows_added == cards
        assert w.calls() == {"trello": 1, "sheets_read": 1, "sheets_write": 1}

        w.clear_logs()
        assert w.sync().outcome == "noop"
        assert w.calls() == {"trello": 1, "sheets_read": 1}  # unchanged pair: no write at all

        state = w.trello_app.state.trello
        changed = [card for card in state.cards.values()][: cards // 10]
        for card in changed:  # 10% of the cards renamed, straight in the emulator's state
            card["name"] += " (edited)"
        w.clear_logs()
        result = w.sync()
        assert result.cells_changed >= len(changed)
        assert w.calls() == {"trello": 1, "sheets_read": 1, "sheets_write": 1}
        assert w.sync().outcome == "noop"
