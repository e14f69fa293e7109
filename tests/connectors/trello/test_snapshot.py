"""whole_board's completeness checks on answers Trello could give (no HTTP)."""

from __future__ import annotations

from typing import Any

import pytest

from connectors.errors import BadResponse, Incomplete, TooManyCards
from connectors.trello.snapshot import CARD_CAP, whole_board
from connectors.trello.translate import raise_for_status


def card(n: int, **fields: Any) -> dict[str, Any]:
    return {"id": f"{n:024x}", **fields}


def cards(first: int, last: int) -> list[dict[str, Any]]:
    """Cards numbered last down to first: newest first, as Trello pages them."""
    return [card(n) for n in range(last, first - 1, -1)]


def never(_before: str) -> list[Any]:
    raise AssertionError("no page should be asked for")


def test_a_small_board_is_whole_without_paging() -> None:
    board = {"id": "b", "cards": cards(1, 999), "labels": []}
    assert len(whole_board(board, never)["cards"]) == 999


def test_a_full_answer_is_followed_by_pages_until_a_short_one() -> None:
    asked: list[str] = []
    pages = {f"{1001:024x}": cards(1, 1000)[:CARD_CAP], f"{1:024x}": []}

    def page(before: str) -> list[Any]:
        asked.append(before)
        return pages[before]

    board = {"id": "b", "cards": cards(1001, 2000), "labels": []}
    assert len(whole_board(board, page)["cards"]) == 2000
    assert asked == [f"{1001:024x}", f"{1:024x}"]


@pytest.mark.parametrize(
    "page",
    [
        cards(1500, 1600),  # newer than `before`: the page ignored it
        cards(1001, 1001),  # repeats a card already read
        [{"id": "not-an-object-id"}],
    ],
)
def test_pages_that_overlap_or_skip_are_refused(page: list[dict[str, Any]]) -> None:
    board = {"id": "b", "cards": cards(1001, 2000), "labels": []}
    with pytest.raises(Incomplete, match="board b cannot be proven whole"):
        whole_board(board, lambda _before: page)


def test_a_checklist_of_a_card_not_read_is_refused() -> None:
    board = {"id": "b", "cards": cards(1, 3), "checklists": [{"idCard": f"{9:024x}", "checkItems": []}]}
    with pytest.raises(Incomplete, match="1 card"):
        whole_board(board, never)


def test_a_page_of_something_else_is_a_bad_response() -> None:
    with pytest.raises(BadResponse):
        whole_board({"id": "b", "cards": cards(1, 1000)}, lambda _before: {"cards": []})  # type: ignore[arg-type,return-value]


def test_labels_cards_carry_join_a_truncated_label_list() -> None:
    late = {"id": "l60", "name": "Channel 60", "color": "green"}
    board = {"id": "b", "cards": [card(1, labels=[late], idLabels=["l60"])], "labels": [{"id": "l1"}]}
    assert [label["id"] for label in whole_board(board, never)["labels"]] == ["l1", "l60"]


def test_the_too_many_cards_403_is_not_an_auth_error() -> None:
    body = '{"error":"API_TOO_MANY_CARDS_REQUESTED","message":"Requested too many cards"}'
    with pytest.raises(TooManyCards, match="so many cards"):
        raise_for_status("cards of board b", 403, body, RuntimeError("403"))
