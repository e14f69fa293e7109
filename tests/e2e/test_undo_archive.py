"""`boardsheet undo-archive` over the Trello emulator: one member's archives come back, deletions listed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.runtime.undo import UndoArchive, UndoPlan
from tests.support.trello_emulator import BOB
from tests.support.world import ALICE, World, world


def _closed(w: World, card_id: str) -> bool:
    with w.trello_client() as trello:
        return bool(trello.get(f"/1/cards/{card_id}").json()["closed"])


def _me(w: World, token: str) -> str:
    with w.trello_client(token) as trello:
        return str(trello.get("/1/members/me").json()["username"])


def test_undo_archive_unarchives_only_that_members_cards_and_reports_deleted_ones(tmp_path: Path) -> None:
    with world(tmp_path, cards=6) as w:
        w.sync()
        since = datetime.now(UTC) - timedelta(seconds=1)
        ids = [w.ids[f"Post {i:05d}"] for i in range(4)]
        with w.trello_client(ALICE) as alice, w.trello_client(BOB) as bob:
            for card_id in ids[:2]:
                assert alice.put(f"/1/cards/{card_id}", params={"closed": "true"}).status_code == 200
            assert bob.put(f"/1/cards/{ids[2]}", params={"closed": "true"}).status_code == 200
            assert alice.delete(f"/1/cards/{ids[3]}").status_code == 200
        seen: list[UndoPlan] = []

        def confirm(plan: UndoPlan) -> bool:
            seen.append(plan)
            return True

        plan, done = UndoArchive(w.config, w.trello, w.store).undo("calendar", _me(w, ALICE), since, confirm)
        assert sorted(done) == sorted(ids[:2]) and seen == [plan]
        assert [card for card, _, _ in plan.undo.deleted] == [ids[3]]
        assert plan.last_rows[ids[3]]["Title"] == "Post 00003"  # its last known row, from the base
        assert not _closed(w, ids[0]) and not _closed(w, ids[1])
        assert _closed(w, ids[2])  # Bob's archive is Bob's business
