"""List-field option ids in the change log become the option text people chose."""

from __future__ import annotations

from datetime import UTC, datetime

from app.core.changes import OptionNames, option_texts
from app.core.records import ChangeRecord

BOARD = {
    "customFields": [
        {
            "id": "f1",
            "name": "Channel",
            "type": "list",
            "options": [
                {"id": "o1", "value": {"text": "Organic"}},
                {"id": "o2", "value": {"text": "Paid"}},
            ],
        },
        {"id": "f2", "name": "Budget", "type": "number"},
        "not a field",
    ]
}


def change(field: str, before: str | None, after: str | None) -> ChangeRecord:
    return ChangeRecord(
        at=datetime(2026, 1, 1, tzinfo=UTC),
        pair="p",
        board_id="b",
        action_id="a",
        action_type="t",
        member="Alice",
        card_id="c",
        card_name="Card",
        field=field,
        before=before,
        after=after,
    )


def test_option_texts_read_every_list_field_and_ignore_odd_shapes() -> None:
    assert option_texts(BOARD) == {"o1": "Organic", "o2": "Paid"}
    assert option_texts({}) == {}


def test_named_replaces_known_ids_of_custom_fields_only() -> None:
    names = OptionNames()
    assert names.named(change("custom:Channel", "o1", "o2")).after == "o2"  # nothing learned yet
    names.learn(BOARD)
    named = names.named(change("custom:Channel", "o1", "o2"))
    assert (named.before, named.after) == ("Organic", "Paid")
    assert names.named(change("custom:Channel", None, "o9")).after == "o9"
    assert names.named(change("name", "o1", "o2")).before == "o1"  # not a custom field: untouched
