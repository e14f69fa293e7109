"""TrelloConnector.board_snapshot on boards beyond Trello's 1,000-card cap (issue 8 §2), over real HTTP."""

from __future__ import annotations

import math
from typing import Any

import pytest

from connectors.emulators.synthetic import BOARD, board_spec
from connectors.emulators.trello import paging
from connectors.emulators.trello.app import seed_from_dict
from connectors.emulators.trello.state import TrelloError
from connectors.errors import Incomplete
from tests.support.trello_emulator import TrelloEmulator

pytestmark = pytest.mark.http  # the Trello emulator over loopback


@pytest.mark.parametrize(("cards", "requests"), [(999, 1), (1_000, 2), (1_100, 2), (2_000, 3), (2_500, 3)])
def test_every_card_is_read_within_the_budget(
    trello_emulator: TrelloEmulator, cards: int, requests: int
) -> None:
    board = seed_from_dict(trello_emulator.ctx, board_spec(cards))[BOARD]
    conn = trello_emulator.connector()
    trello_emulator.clear()
    snapshot = conn.board_snapshot(board)
    ids = [card["id"] for card in snapshot["cards"]]
    assert len(ids) == len(set(ids)) == cards
    assert conn.requests_made == requests
    assert requests <= (1 if cards < 1000 else math.ceil(cards / 1000) + 1)
    paged = [e for e in trello_emulator.requests() if e["path"].endswith("/cards/all")]
    assert len(paged) == requests - 1


def test_labels_are_read_past_fifty(trello_emulator: TrelloEmulator) -> None:
    conn = trello_emulator.connector()
    board = conn.create_board("Many labels")
    todo = conn.create_list(board["id"], "Todo")
    labels = [conn.create_label(board["id"], f"Channel {i:02d}", "green") for i in range(60)]
    card = conn.create_card(todo["id"], "Late label")
    conn.add_label(card["id"], labels[-1]["id"])
    snapshot = conn.board_snapshot(board["id"])
    assert "Channel 59" in {label["name"] for label in snapshot["labels"]}


def test_pages_that_ignore_before_are_refused(
    trello_emulator: TrelloEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    board = seed_from_dict(trello_emulator.ctx, board_spec(1_100))[BOARD]
    real = paging.page_cards
    # A Trello that ignores `before`: every page is the newest cards again.
    monkeypatch.setattr(
        "connectors.emulators.trello.routes.boards.page_cards",
        lambda cards, p: real(cards, {"limit": p.get("limit")}),
    )
    with pytest.raises(Incomplete, match="cannot be proven whole"):
        trello_emulator.connector().board_snapshot(board)


def test_a_refused_nested_read_falls_back_to_pages_of_every_card(
    trello_emulator: TrelloEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    board = seed_from_dict(trello_emulator.ctx, board_spec(1_100))[BOARD]

    def refuse_big(cards: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if len(cards) > paging.NESTED_CARDS_MAX:  # a Trello whose nested read refuses this many cards
            raise TrelloError(403, "too many", dict(paging.TOO_MANY_CARDS))
        return cards

    monkeypatch.setattr("connectors.emulators.trello.routes.boards.nested_cards", refuse_big)
    conn = trello_emulator.connector()
    snapshot = conn.board_snapshot(board)
    assert len({card["id"] for card in snapshot["cards"]}) == 1_100
    assert [label["name"] for label in snapshot["labels"]] == ["Instagram", "LinkedIn"]
    # the refused read, the board without cards, the newest 1,000 cards, the older 100
    assert conn.requests_made == 4
