"""The status document as a pure function of health, store rows and the clock."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.core.records import ChangeRecord, HeldPlan
from app.core.schedule import Health
from app.core.status import build_status
from app.core.status_inputs import PairFacts, StatusInputs
from app.core.status_times import ago

NOW = 1_800_000_000.0


def facts(**kw: object) -> PairFacts:
    """One pair's facts with defaults."""
    base: dict[str, object] = {"name": "alpha", "board": "b1", "spreadsheet": "s1", "tab": "Calendar"}
    base.update(kw)
    return PairFacts(**base)  # type: ignore[arg-type]


def status_of(p: PairFacts, **kw: object) -> dict[str, object]:
    """The status document of a single pair."""
    doc = build_status(StatusInputs(now=NOW, pairs=[p], **kw))  # type: ignore[arg-type]
    pair: dict[str, object] = doc["pairs"][0]
    return pair


@pytest.mark.parametrize(
    ("delta", "words"),
    [
        (0, "0 s ago"),
        (12, "12 s ago"),
        (89, "89 s ago"),
        (180, "3 min ago"),
        (7200, "2 h ago"),
        (86400 * 3, "3 d ago"),
    ],
)
def test_ago_in_words(delta: float, words: str) -> None:
    assert ago(NOW - delta, NOW) == words


def test_ago_of_nothing_is_none() -> None:
    assert ago(None, NOW) is None


def test_in_sync_says_how_fresh() -> None:
    h = Health(name="alpha", last_success=NOW - 12, last_run_finished=NOW - 12, last_reconcile=NOW - 180)
    p = status_of(facts(health=h, rows=40))
    assert p["state"] == "in_sync"
    assert p["summary"] == "in sync, updated 12 s ago"
    assert p["rows"] == 40
    assert p["last_reconcile_ago"] == "3 min ago"  # the webhook-driven run 12 s ago was not a reconcile
    assert p["healthy"] is True


def test_failing_says_since_when_and_why() -> None:
    h = Health(name="alpha", last_success=NOW - 600, last_error="Google Sheets refused our credentials",
               last_error_at=NOW - 5, consecutive_failures=3)  # fmt: skip
    p = status_of(facts(health=h, failing_since=NOW - 300))
    assert p["state"] == "failing"
    assert p["summary"] == ("failing since 2027-01-15T07:55:00+00:00: Google Sheets refused our credentials")
    assert p["error"] == "Google Sheets refused our credentials"
    assert p["healthy"] is False


def test_paused_wins_over_everything() -> None:
    h = Health(name="alpha", paused=True, consecutive_failures=2, last_error="x")
    assert status_of(facts(health=h))["state"] == "paused"


def test_held_plan_comes_with_approve_instructions() -> None:
    plan = HeldPlan(
        id=7, pair="alpha", created_at=datetime(2027, 1, 1, tzinfo=UTC), reason="would delete 30 rows"
    )
    h = Health(name="alpha", last_success=NOW - 1)
    with_admin = status_of(facts(health=h, held=[plan]), admin_enabled=True, public_url="https://bs.example")
    assert with_admin["state"] == "held"
    assert with_admin["summary"] == "waiting for approval: would delete 30 rows"
    held = with_admin["held_plans"][0]  # type: ignore[index]
    assert "https://bs.example/admin/plans/7/approve" in held["approve"]
    assert held["approve"].startswith("boardsheet approve 7, or curl")
    without = status_of(facts(health=h, held=[plan]))
    assert without["held_plans"][0]["approve"] == "boardsheet approve 7"  # type: ignore[index]


def test_never_synced_and_first_run() -> None:
    assert status_of(facts())["summary"] == "not synced yet"
    assert status_of(facts(health=Health(name="alpha", running=True)))["state"] == "syncing"


def test_polling_only_without_public_url() -> None:
    doc = build_status(StatusInputs(now=NOW, pairs=[facts()]))
    assert doc["polling_only"] is True
    assert "BOARDSHEET_PUBLIC_URL" in doc["mode"]
    assert (
        build_status(StatusInputs(now=NOW, pairs=[], public_url="https://x.example"))["polling_only"] is False
    )


def test_change_log_names_who_changed_what() -> None:
    change = ChangeRecord(
        at=datetime.fromtimestamp(NOW - 30, UTC), pair="alpha", board_id="b1", action_id="a1",
        action_type="updateCard", member="Alice Martin", card_id="c1", card_name="Launch post",
        field="list", before="Drafting", after="Review",
    )  # fmt: skip
    doc = build_status(StatusInputs(now=NOW, pairs=[], changes=[change]))
    assert doc["changes"] == [
        {"at": "2027-01-15T07:59:30+00:00", "when": "2027-01-15 07:59", "ago": "30 s ago", "pair": "alpha",
         "who": "Alice Martin",
         "card": "Launch post", "card_id": "c1", "field": "list", "before": "Drafting", "after": "Review"}
    ]  # fmt: skip


def test_whole_service_unhealthy_when_one_pair_fails() -> None:
    ok = facts(health=Health(name="alpha", last_success=NOW))
    bad = facts(name="beta", health=Health(name="beta", consecutive_failures=1, last_error="boom"))
    assert build_status(StatusInputs(now=NOW, pairs=[ok]))["healthy"] is True
    assert build_status(StatusInputs(now=NOW, pairs=[ok, bad]))["healthy"] is False


def test_changes_are_newest_first_with_times_in_the_pairs_zone() -> None:
    def change(seconds_ago: int, action: str) -> ChangeRecord:
        return ChangeRecord(
            at=datetime.fromtimestamp(NOW - seconds_ago, UTC), pair="alpha", board_id="b1",
            action_id=action, action_type="updateCard", member="Alice", card_id="c1", card_name="Post",
            field="Status", before="Drafting", after="Review",
        )  # fmt: skip

    paris = PairFacts(name="alpha", board="b", spreadsheet="s", tab="t", timezone="Europe/Paris")
    # Records from several sources arrive in any order: the page shows the newest first.
    doc = build_status(StatusInputs(now=NOW, pairs=[paris], changes=[change(90, "a"), change(30, "b")]))
    assert [c["ago"] for c in doc["changes"]] == ["30 s ago", "2 min ago"]
    assert doc["changes"][0]["when"] == "2027-01-15 08:59"  # 07:59 UTC in Paris (winter: UTC+1)
