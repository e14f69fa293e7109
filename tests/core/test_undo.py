"""Which cards undo-archive brings back: the member's archives, not reopenings or others' archives."""

from __future__ import annotations

from typing import Any

from app.core.undo import by_member, snapshot_row, still_archived, undo_of

ALICE = {"id": "m1", "username": "alice", "fullName": "Alice Example"}
BOB = {"id": "m2", "username": "bob", "fullName": "Bob"}


def _archive(card: str, who: dict[str, str], date: str, closed: bool = True) -> dict[str, Any]:
    data = {"card": {"id": card, "name": f"card {card}", "closed": closed}, "old": {"closed": not closed}}
    return {
        "type": "updateCard",
        "date": date,
        "idMemberCreator": who["id"],
        "memberCreator": who,
        "data": data,
    }


def _delete(card: str, who: dict[str, str], date: str) -> dict[str, Any]:
    data = {"card": {"id": card, "idShort": 3}}
    return {
        "type": "deleteCard",
        "date": date,
        "idMemberCreator": who["id"],
        "memberCreator": who,
        "data": data,
    }


def test_a_members_archives_count_once_and_a_deleted_card_moves_to_deleted_with_its_name() -> None:
    actions = [
        _delete("c3", ALICE, "2026-12-01T10:05:00.000Z"),
        _archive("c3", ALICE, "2026-12-01T10:01:00.000Z"),
        _archive("c1", ALICE, "2026-12-01T10:00:00.000Z"),
        _archive("c2", BOB, "2026-12-01T10:02:00.000Z"),
        _archive("c4", ALICE, "2026-12-01T10:03:00.000Z", closed=False),  # a reopening, not an archive
    ]
    undo = undo_of(actions, "@Alice")
    assert undo.archived == (("c1", "card c1", "2026-12-01T10:00:00.000Z"),)
    assert undo.deleted == (("c3", "card c3", "2026-12-01T10:05:00.000Z"),)


def test_members_are_named_by_id_username_or_full_name() -> None:
    action = _archive("c1", ALICE, "2026-12-01T10:00:00.000Z")
    assert all(by_member(action, name) for name in ("m1", "alice", "@ALICE", "alice example"))
    assert not by_member(action, "bob")


def test_a_deleted_cards_row_is_found_in_a_snapshot_below_a_freshness_line() -> None:
    def text(value: str) -> dict[str, str]:
        return {"stringValue": value}

    document = {
        "rows": [
            [text("Synced from Trello board «Social» at 10:42")],
            [text("Date"), text("Title"), text("Card ID"), text("Notes")],
            [{"numberValue": 46362.0}, text("Kept"), text("c1")],
            [{"numberValue": 46362.75}, text("Gone"), text("c2"), text("call Lena")],
        ]
    }
    row = snapshot_row(document, "Card ID", "c2", {"Date"})
    assert row == {"Date": "2026-12-06 18:00", "Title": "Gone", "Card ID": "c2", "Notes": "call Lena"}
    assert snapshot_row(document, "Card ID", "c1", {"Date"}) == {
        "Date": "2026-12-06",
        "Title": "Kept",
        "Card ID": "c1",
    }
    assert snapshot_row(document, "Card ID", "c3", {"Date"}) is None
    assert snapshot_row(document, "Key", "c2", {"Date"}) is None


def test_only_cards_the_board_shows_archived_now_are_still_archived() -> None:
    board = {"cards": [{"id": "c1", "closed": True}, {"id": "c2", "closed": False}, {"id": "c4"}]}
    # c2 reopened since, c3 deleted since, c4 not even closed: only c1 needs a PUT closed=false
    assert still_archived(board, ["c1", "c2", "c3", "c4"]) == {"c1"}
    assert still_archived({}, ["c1"]) == frozenset()
