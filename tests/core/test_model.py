"""Parsing Trello's board JSON into cards, and the policy's small rules."""

from __future__ import annotations

from datetime import UTC, datetime

from app.core.decode import board_from_json
from app.core.model import DEFAULT_KEY_HEADER, Column, Percent, Policy
from tests.support.boardjson import board, card


def test_card_fields_are_resolved_by_name() -> None:
    raw = card(
        "c1",
        "Launch",
        desc="Body",
        due="2026-03-01T09:30:00.000Z",
        dueComplete=True,
        idList="l2",
        idLabels=["lb2", "lb1"],
        idMembers=["m2"],
        pos=3.5,
        customFieldItems=[
            {"idCustomField": "cf1", "idValue": "o2"},
            {"idCustomField": "cf2", "value": {"number": "12.5"}},
            {"idCustomField": "cf3", "value": {"checked": "true"}},
            {"idCustomField": "cf4", "value": {"date": "2026-04-17T04:00:00.000Z"}},
            {"idCustomField": "cf5", "value": {"text": "Zoé"}},
        ],
    )
    checklists = [
        {"idCard": "c1", "checkItems": [{"state": "complete"}, {"state": "incomplete"}]},
        {"idCard": "c1", "checkItems": [{"state": "complete"}]},
    ]
    parsed = board_from_json(board([raw], checklists))
    (c,) = parsed.cards
    assert (c.name, c.desc, c.list_name, c.labels, c.members) == (
        "Launch",
        "Body",
        "Review",
        ("Video", "Urgent"),
        ("Bob B",),
    )
    assert c.due == datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    assert c.due_complete is True and c.pos == 3.5
    assert c.custom == {
        "Channel": "Newsletter",
        "Budget": 12.5,
        "Ready": True,
        "Publish": datetime(2026, 4, 17, 4, tzinfo=UTC),
        "Owner": "Zoé",
    }
    assert (c.checklist_done, c.checklist_total) == (2, 3)
    assert parsed.custom_field_types["Publish"] == "date"


def test_missing_values_stay_empty_and_unchecked_boxes_are_false() -> None:
    (c,) = board_from_json(board([card("c1", due=None, dateLastActivity="not a date")])).cards
    assert c.due is None and c.last_activity is None
    assert c.custom == {"Ready": False}
    assert (c.checklist_done, c.checklist_total) == (0, 0)


def test_unreadable_numbers_are_empty() -> None:
    items = [[{"idCustomField": "cf2", "value": {"number": n}}] for n in ("abc", "1e400", "nan", "-3")]
    values = [
        board_from_json(board([card("c1", customFieldItems=i)])).cards[0].custom.get("Budget") for i in items
    ]
    assert values == [None, None, None, -3.0]


def test_a_card_in_an_archived_list_counts_as_archived() -> None:
    data = board([card("c1"), card("c2", idList="l2"), card("c3", closed=True)])
    data["lists"][0]["closed"] = True
    archived = [c.archived for c in board_from_json(data).cards]
    assert archived == [True, False, True]


def test_badges_are_the_checklist_fallback() -> None:
    (c,) = board_from_json(board([card("c1", badges={"checkItems": 4, "checkItemsChecked": 1})])).cards
    assert (c.checklist_done, c.checklist_total) == (1, 4)


def test_the_key_column_is_added_unless_configured() -> None:
    plain = Policy(columns=(Column("Title", "name"),))
    assert plain.owned_columns()[-1] == Column(DEFAULT_KEY_HEADER, "id")
    keyed = Policy(columns=(Column("Card ID", "id"), Column("Title", "name")))
    assert keyed.owned_columns() == keyed.columns


def test_delete_limit_as_count_or_share() -> None:
    assert Policy(columns=(), max_deletes=3).delete_limit(1000) == 3
    assert Policy(columns=(), max_deletes=Percent(25)).delete_limit(100) == 25
    assert Policy(columns=(), max_deletes=Percent(25)).delete_limit(10) == 3  # rounded up
    assert Policy(columns=(), max_deletes=Percent(25)).delete_limit(0) == 1


def test_max_deletes_rounding_is_as_documented() -> None:
    # docs/configuration.md: a percentage rounds up, with a floor of 1.
    from app.core.model import Percent, Policy

    policy = Policy(columns=(), max_deletes=Percent(25))
    assert [policy.delete_limit(rows) for rows in (10, 2, 0, 4, 5)] == [3, 1, 1, 1, 2]
