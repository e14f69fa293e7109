"""A card's label names when the board's label list is truncated (issue 8 §2)."""

from __future__ import annotations

from app.core.decode import board_from_json


def test_a_label_missing_from_the_board_list_keeps_the_name_the_card_carries() -> None:
    late = {"id": "l60", "idBoard": "b", "name": "Channel 60", "color": "green"}
    data = {
        "id": "b",
        "labels": [{"id": "l1", "name": "Channel 01", "color": "red"}],  # 50 of them on Trello, l60 not among
        "cards": [{"id": "c1", "idLabels": ["l1", "l60"], "labels": [late]}],
    }
    assert board_from_json(data).cards[0].labels == ("Channel 01", "Channel 60")


def test_an_unnamed_label_shows_its_colour_and_ids_without_label_objects_still_resolve() -> None:
    data = {
        "labels": [{"id": "l1", "name": "Blog", "color": "red"}],
        "cards": [
            {"id": "c1", "idLabels": ["l2"], "labels": [{"id": "l2", "name": "", "color": "sky"}]},
            {"id": "c2", "idLabels": ["l1"]},
        ],
    }
    assert [card.labels for card in board_from_json(data).cards] == [("sky",), ("Blog",)]
