"""Big boards (issue 8 §2): a board past Trello's 1,000-card cap syncs whole, or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.config.models import parse_config
from connectors.emulators.trello import paging
from connectors.errors import Incomplete
from tests.support.world import config_text, world

pytestmark = pytest.mark.http  # both emulators over loopback


def test_a_board_of_1100_cards_syncs_1100_rows_within_the_budgets(tmp_path: Path) -> None:
    with world(tmp_path, cards=1_100) as w:
        w.clear_logs()
        result = w.sync()
        assert result.rows_added == 1_100
        assert (result.trello_requests, result.sheets_reads, result.sheets_writes) == (2, 1, 1)
        assert w.calls() == {"trello": 2, "sheets_read": 1, "sheets_write": 1}  # ⌈1100/1000⌉ + 1 = 3 allowed
        assert len(w.values()) == 1 + 1_100
        w.clear_logs()
        assert w.sync().outcome == "noop"
        assert w.calls() == {"trello": 2, "sheets_read": 1}


def test_a_read_that_cannot_be_proven_whole_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with world(tmp_path, cards=1_100) as w:
        w.sync()
        before = w.values()
        real = paging.page_cards
        # A Trello that ignores `before`: every page is the newest cards again, so older cards never come.
        monkeypatch.setattr(
            "connectors.emulators.trello.routes.boards.page_cards",
            lambda cards, p: real(cards, {"limit": p.get("limit")}),
        )
        w.clear_logs()
        with pytest.raises(Incomplete, match=r"cannot be proven whole.*nothing was changed"):
            w.sync()
        assert w.calls()["sheets_write"] == 0
        assert w.values() == before


@pytest.mark.parametrize("label_list", ["whole", "truncated at 50"])
def test_a_labels_filter_keeps_a_card_whose_label_is_past_the_fiftieth(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, label_list: str
) -> None:
    if label_list != "whole":
        # A Trello that ignores labels_limit: the board's list stops at 50 labels; cards carry their own.
        monkeypatch.setattr(
            "connectors.emulators.trello.routes.boards.labels_page",
            lambda labels, value, name: paging.labels_page(labels, None, name),
        )
    with world(tmp_path, cards=2) as w, w.trello_client() as c:
        labels = [
            c.post(
                "/1/labels", data={"name": f"Channel {i:02d}", "color": "green", "idBoard": w.board_id}
            ).json()
            for i in range(60)
        ]
        card = next(cid for name, cid in w.ids.items() if name == "Post 00001")
        c.post(f"/1/cards/{card}/idLabels", data={"value": labels[-1]["id"]})
        text = config_text(w.board_id, w.spreadsheet_id)
        w.config = parse_config(
            text.replace(
                f"trello: {{board: {w.board_id}}}", f"trello: {{board: {w.board_id}, labels: [Channel 59]}}"
            ),
            env={},
        )
        assert w.sync().rows_added == 1
        assert [row[1:4] for row in w.values()[1:]] == [["Post 00001", "Drafting", "Channel 59"]]
