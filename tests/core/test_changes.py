"""Turning real Trello actions into change-log entries: who changed what on which card, before -> after."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from app.core.changes import change_records as records_of
from app.core.records import ChangeRecord
from tests.support.paths import FIXTURES

RECEIVED = datetime(2030, 1, 1, tzinfo=UTC)


def change_records(pair: str, action: dict[str, Any]) -> list[ChangeRecord]:
    """The records of one action on board "b1", received at RECEIVED."""
    return records_of(pair, "b1", action, received_at=RECEIVED)


WEBHOOKS = FIXTURES / "trello-webhooks"


def action(name: str) -> dict[str, Any]:
    payload: dict[str, Any] = json.loads(next(WEBHOOKS.rglob(name)).read_text())
    found: dict[str, Any] = payload.get("action", payload)
    return found


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("card-list.json", [("list", "_preferences", "an empty List")]),
        ("card-due.json", [("due", None, "2015-06-10T15:00:00.000Z")]),
        ("card-name.json", [("name", "instructions", "instructions -")]),
        ("card-archive.json", [("closed", "false", "true")]),
        ("customfielditem-update.json", [("custom:Occurrences", "1232", "1233")]),
        ("card-create.json", [("created", None, "an empty List")]),
        ("card-delete.json", [("deleted", None, None)]),
        ("label-add.json", [("labels", None, "orange")]),
        ("label-remove.json", [("labels", "orange", None)]),
        ("comment-add.json", [("comment", None, "alô!")]),
        ("list-name.json", [("list.name", "_drafts", "_ideas")]),
        ("checkitem-edit.json", [("check item.name", "crua", "gelada")]),
        ("list-create.json", []),  # touches no card and changes no field: nothing to log, the run still comes
    ],
)
def test_fields_before_and_after(name: str, expected: list[tuple[str, str | None, str | None]]) -> None:
    records = change_records("social", action(name))
    assert [(r.field, r.before, r.after) for r in records] == expected


def test_every_entry_names_the_pair_member_card_and_time() -> None:
    (record,) = change_records("social", action("card-list.json"))
    assert record == ChangeRecord(
        pair="social",
        board_id="b1",
        action_id="55900c950fbd86334d5c4071",
        action_type="updateCard",
        at=datetime(2015, 6, 28, 15, 2, 45, 235000, tzinfo=UTC),
        member="Alfred Molyneaux",
        card_id="550df104f244348fb46ce2b5",
        card_name="posts-per-page",
        field="list",
        before="_preferences",
        after="an empty List",
    )


def test_a_list_custom_field_is_one_entry_with_option_ids() -> None:
    data = {
        "card": {"id": "c1", "name": "Post"},
        "customField": {"id": "f1", "name": "Channel", "type": "list"},
        "customFieldItem": {"idValue": "opt-paid", "value": None},
        "old": {"idValue": "opt-organic"},
    }
    records = change_records("social", {"id": "a1", "type": "updateCustomFieldItem", "data": data})
    assert [(r.field, r.before, r.after) for r in records] == [("custom:Channel", "opt-organic", "opt-paid")]


def test_untrusted_shapes_never_raise() -> None:
    odd: dict[str, Any] = {"id": 7, "type": None, "data": {"card": "x", "old": [1], "customField": {}}}
    assert change_records("social", odd) == []
    (record,) = change_records("social", {"data": {"card": {"id": "c1"}}})
    assert (record.field, record.member, record.at, record.action_id) == ("changed", "someone", RECEIVED, "")


def test_long_values_are_shortened_and_members_fall_back_to_username() -> None:
    act = {
        "id": "a1",
        "type": "updateCard",
        "memberCreator": {"username": "alice"},
        "data": {"card": {"id": "c1", "name": "n", "desc": "x" * 5000}, "old": {"desc": ""}},
    }
    (record,) = change_records("social", act)
    assert record.member == "alice"
    assert record.after is not None and len(record.after) == 1000
