"""The service end to end over loopback: a teammate's move reaches the sheet; bad and repeated deliveries."""

from __future__ import annotations

from pathlib import Path

from connectors.emulators.trello.webhooks import sign
from tests.support.service_world import PAIR, Service, action_body, service, sheet_equals_board, sheet_rows
from tests.support.waiting import wait_until
from tests.support.world import ALICE

FAST_DEBOUNCE, FAST_MAX_WAIT = 0.2, 1.0  # short windows: these tests are about what happens, not when


def _row(s: Service, card_id: str) -> dict[str, str]:
    return next(row for row in sheet_rows(s.w) if row["Card ID"] == card_id)


def test_a_teammates_move_reaches_the_sheet_and_the_change_log_names_her(tmp_path: Path) -> None:
    with service(tmp_path, debounce=FAST_DEBOUNCE, max_wait=FAST_MAX_WAIT) as s:
        card = s.w.ids["Post 00001"]
        assert _row(s, card)["Status"] == "Drafting"
        runs = s.coordinator.health.runs
        with s.w.trello_client(ALICE) as alice:
            moved = alice.put(f"/1/cards/{card}", params={"idList": s.w.ids["Published"]})
            assert moved.status_code == 200, moved.text

        wait_until(lambda: _row(s, card)["Status"] == "Published", "the move to reach the sheet")
        s.settle()  # the sheet is written before the run is counted as finished
        health = s.coordinator.health
        # The reconcile timer is minutes away: only the emulator's signed delivery can have asked for it.
        assert health.runs > runs and health.last_run_reasons == ("webhook",)
        assert sheet_equals_board(s.w)

        (logged,) = [c for c in s.services.store.recent_changes(PAIR) if c.card_id == card]
        assert (logged.member, logged.field, logged.before, logged.after) == (
            "Alice Martin",
            "list",
            "Drafting",
            "Published",
        )
        status = s.status()
        (shown,) = [c for c in status["changes"] if c["card_id"] == card]
        assert shown["who"] == "Alice Martin" and shown["after"] == "Published"
        (pair,) = status["pairs"]
        assert pair["last_webhook"] is not None


def test_a_forged_signature_is_refused_and_a_repeated_action_is_processed_once(tmp_path: Path) -> None:
    with service(tmp_path, debounce=FAST_DEBOUNCE, max_wait=FAST_MAX_WAIT) as s:
        s.settle()
        card = s.w.ids["Post 00002"]
        before = s.coordinator.health

        forged = action_body(s.w, "forged-action", card)
        assert s.post_body(forged, signature=sign("not-the-secret", forged, s.callback)).status_code == 401
        assert s.post_body(forged, signature="").status_code == 401  # no signature at all
        # A webhook asks for its run before answering: so nothing was asked, and nothing was recorded.
        after = s.coordinator.health
        assert (after.last_request, after.runs) == (before.last_request, before.runs)
        assert [c for c in s.services.store.recent_changes(PAIR) if c.action_id == "forged-action"] == []

        body = action_body(s.w, "repeated-action", card)
        assert s.post_body(body).status_code == 200
        requested = s.coordinator.health.last_request
        assert requested is not None and requested != before.last_request
        assert s.post_body(body).status_code == 200  # Trello's retry is acknowledged...
        assert s.coordinator.health.last_request == requested  # ...but asks for no second run
        s.settle()
        logged = [c for c in s.services.store.recent_changes(PAIR) if c.action_id == "repeated-action"]
        assert [(c.member, c.field, c.before, c.after) for c in logged] == [
            ("Bob Durand", "name", "Before", "Renamed")
        ]
        assert s.coordinator.health.runs == before.runs + 1
        assert s.webhook_outcomes() == {"bad_signature": 2, "accepted": 1, "duplicate": 1}


def test_a_missed_webhook_still_reaches_the_change_log_through_the_reconcile_run(tmp_path: Path) -> None:
    with service(tmp_path, debounce=FAST_DEBOUNCE, max_wait=FAST_MAX_WAIT) as s:
        for hook in s.w.trello_app.state.trello.webhooks.values():
            hook["active"] = False  # Trello gave up on the callback: this move is never delivered
        card = s.w.ids["Post 00001"]
        with s.w.trello_client(ALICE) as alice:
            assert alice.put(f"/1/cards/{card}", params={"idList": s.w.ids["Review"]}).status_code == 200
        s.settle()
        assert s.webhook_outcomes().get("accepted", 0) == 0
        s.coordinator.request("reconcile")
        wait_until(lambda: _row(s, card)["Status"] == "Review", "the reconcile run")
        (logged,) = [c for c in s.services.store.recent_changes(PAIR) if c.card_id == card]
        assert (logged.member, logged.before, logged.after) == ("Alice Martin", "Drafting", "Review")
        (shown,) = [c for c in s.status()["changes"] if c["card_id"] == card]
        assert shown["who"] == "Alice Martin" and shown["after"] == "Review"


def test_with_webhooks_working_the_freshness_line_says_changes_arrive_within_seconds(tmp_path: Path) -> None:
    views = "    views: [{type: month, tab: Calendar view, months: 1}]\n"
    with service(tmp_path, debounce=FAST_DEBOUNCE, max_wait=FAST_MAX_WAIT, extra=views) as s:
        with s.w.trello_client(ALICE) as alice:
            renamed = alice.put(f"/1/cards/{s.w.ids['Post 00001']}", params={"name": "Renamed"})
            assert renamed.status_code == 200, renamed.text
        wait_until(
            lambda: s.w.values("Calendar view")[1][0].endswith("· every change within seconds"),
            "the view's freshness line to say webhooks reach the service",
        )
