"""The synthetic board: any number of cards, spread over five lists, dated, a label on every third."""

from __future__ import annotations

from connectors.emulators.synthetic import BOARD, LISTS, board_spec


def test_cards_are_spread_over_the_lists_in_turn() -> None:
    [board] = board_spec(12)["boards"]
    assert board["name"] == BOARD
    assert [lst["name"] for lst in board["lists"]] == list(LISTS)
    assert [len(lst["cards"]) for lst in board["lists"]] == [3, 3, 2, 2, 2]
    assert [card["name"] for card in board["lists"][1]["cards"]] == ["Post 00001", "Post 00006", "Post 00011"]


def test_every_card_is_dated_and_every_third_is_labelled() -> None:
    cards = {card["name"]: card for lst in board_spec(7)["boards"][0]["lists"] for card in lst["cards"]}
    assert cards["Post 00000"] == {
        "name": "Post 00000",
        "due": "2026-12-01T09:00:00.000Z",
        "labels": ["Instagram"],
    }
    assert cards["Post 00004"]["due"] == "2026-12-05T09:04:00.000Z" and cards["Post 00004"]["labels"] == []
    assert sorted(name for name, card in cards.items() if card["labels"]) == [
        "Post 00000",
        "Post 00003",
        "Post 00006",
    ]
    labels = board_spec(0)["boards"][0]["labels"]
    assert [label["name"] for label in labels] == ["Instagram", "LinkedIn"]


def test_the_spec_is_the_same_on_every_call() -> None:
    assert board_spec(50) == board_spec(50)
    assert board_spec(0)["boards"][0]["lists"][0]["cards"] == []
