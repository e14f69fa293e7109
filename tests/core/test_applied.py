"""The board as Trello shows it once a run's two-way writes are applied."""

from __future__ import annotations

from app.core.applied import board_with_writes
from app.core.decode import board_from_json
from app.core.plan import CustomItem, TrelloWrite
from tests.support.boardjson import board, card


def test_each_written_field_and_custom_item_reads_back_as_trello_will_show_it() -> None:
    raw = board([card("c1", "Launch post", idLabels=["lb1"], idMembers=["m1"]), card("c2", "Other")])
    raw["cards"][0]["labels"] = [{"id": "lb1", "name": "Urgent"}]  # objects a card may carry
    writes = [
        TrelloWrite(
            "c1",
            {"name": "Renamed", "idList": "l2", "idLabels": "lb2", "idMembers": "", "due": None},
            (CustomItem("cf1", None, "o2"), CustomItem("cf2", {"number": "3"})),
        )
    ]
    applied = board_from_json(board_with_writes(raw, writes))
    before = board_from_json(raw)
    (card_after,) = [c for c in applied.cards if c.id == "c1"]
    (card_before,) = [c for c in before.cards if c.id == "c1"]
    assert (card_after.name, card_after.list_name, card_after.due) == ("Renamed", "Review", None)
    assert card_after.labels == ("Video",) and card_after.members == ()
    assert card_after.custom["Channel"] == "Newsletter" and card_after.custom["Budget"] == 3.0
    assert card_before.name == "Launch post" and raw["cards"][0]["name"] == "Launch post"  # a copy
    assert [c for c in applied.cards if c.id == "c2"] == [c for c in before.cards if c.id == "c2"]


def test_a_cleared_custom_field_and_a_vanished_card() -> None:
    raw = board([card("c1", "Launch post")])
    raw["cards"][0]["customFieldItems"] = [{"idCustomField": "cf2", "value": {"number": "5"}}]
    writes = [TrelloWrite("c1", {}, (CustomItem("cf2"),)), TrelloWrite("gone", {"name": "x"})]
    (after,) = board_from_json(board_with_writes(raw, writes)).cards
    assert "Budget" not in after.custom or after.custom["Budget"] is None
