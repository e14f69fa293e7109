"""ensure_webhooks / remove_webhooks: against a fake, then against the Trello emulator over HTTP."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from app.runtime.pairs import BoardDirectory, is_board_id
from app.runtime.registration import RETRY_MAX, RegistrationLoop, ensure_webhooks, remove_webhooks
from app.runtime.tracker import RunTracker
from connectors.errors import Transient
from connectors.trello.client import TrelloConnector
from tests.support.services import BOARD_A, BOARD_B, BOARD_B_ID, FakeTrello, make_config
from tests.support.trello_emulator import KEY, OPS, Receiver, TrelloEmulator

URL = "https://bs.example/webhooks/trello"
OTHER = "https://other-integration.example/hook"


def by_board(hooks: list[dict[str, Any]], url: str = URL) -> dict[str, int]:
    """How many webhooks to `url` each board has."""
    counts: dict[str, int] = {}
    for hook in hooks:
        if hook["callbackURL"] == url:
            counts[hook["idModel"]] = counts.get(hook["idModel"], 0) + 1
    return counts


def test_creates_missing_webhooks() -> None:
    trello = FakeTrello()
    report = ensure_webhooks(trello, {BOARD_A: "a", BOARD_B_ID: "b"}, URL)
    assert sorted(report.created) == sorted([BOARD_A, BOARD_B_ID])
    assert by_board(trello.hooks) == {BOARD_A: 1, BOARD_B_ID: 1}
    again = ensure_webhooks(trello, {BOARD_A: "a", BOARD_B_ID: "b"}, URL)
    assert again.created == [] and sorted(again.kept) == sorted([BOARD_A, BOARD_B_ID])
    assert [c for c in trello.calls if c.startswith(("create", "delete"))] == [
        f"create {BOARD_A}",
        f"create {BOARD_B_ID}",
    ]


def test_recreates_inactive_and_deletes_duplicates() -> None:
    trello = FakeTrello()
    dead = trello.add(BOARD_A, URL, active=False)
    first = trello.add(BOARD_B_ID, URL)
    copy = trello.add(BOARD_B_ID, URL)
    report = ensure_webhooks(trello, {BOARD_A: "a", BOARD_B_ID: "b"}, URL)
    assert report.recreated == [BOARD_A]
    assert sorted(report.deleted) == sorted([dead["id"], copy["id"]])
    assert all(h["active"] for h in trello.hooks)
    assert by_board(trello.hooks) == {BOARD_A: 1, BOARD_B_ID: 1}
    assert first in trello.hooks


def test_removes_ours_for_unconfigured_boards_but_never_others() -> None:
    trello = FakeTrello()
    stale = trello.add("5f1c0ffee0ddba11cafe0999", URL)
    foreign = trello.add(BOARD_A, OTHER)
    foreign_stale = trello.add("5f1c0ffee0ddba11cafe0999", OTHER)
    report = ensure_webhooks(trello, {BOARD_A: "a"}, URL)
    assert report.deleted == [stale["id"]]
    assert foreign in trello.hooks and foreign_stale in trello.hooks
    assert by_board(trello.hooks) == {BOARD_A: 1}


def test_one_failing_board_does_not_stop_the_others() -> None:
    class Flaky(FakeTrello):
        def create_webhook(self, model_id: str, callback_url: str, description: str = "") -> dict[str, Any]:
            if model_id == BOARD_A:
                raise Transient("Trello answered 503 for a webhook", service="trello", status=503)
            return super().create_webhook(model_id, callback_url, description)

    trello = Flaky()
    report = ensure_webhooks(trello, {BOARD_A: "a", BOARD_B_ID: "b"}, URL)
    assert not report.ok and BOARD_A in report.errors[0]
    assert report.created == [BOARD_B_ID]
    assert "1 failed" in report.summary()


def test_a_failed_pass_is_retried_within_seconds_then_every_tick(caplog: pytest.LogCaptureFixture) -> None:
    # The first pass runs while uvicorn still binds its socket: Trello's HEAD check of the callback can be
    # refused once at every start. The retry must not wait for the next tick (the reconcile period).
    class Refused(FakeTrello):
        failures = 7

        def list_webhooks(self) -> list[dict[str, Any]]:
            if self.failures:
                self.failures -= 1
                raise Transient("Trello could not reach the callback URL", service="trello", status=400)
            return super().list_webhooks()

    trello = Refused()
    loop = RegistrationLoop(
        trello, BoardDirectory(make_config()), URL, RunTracker(), every=300, clock=lambda: 0
    )
    waits = [loop.tick() for _ in range(8)]
    assert waits == [1, 2, 4, 8, 16, 32, RETRY_MAX, 300]
    assert by_board(trello.hooks) == {BOARD_A: 1, BOARD_B_ID: 1} and loop.state["error"] is None
    warnings = [r.getMessage() for r in caplog.records if r.name == "app.runtime.registration"]
    assert len(warnings) == 2 and "failed (will retry)" in warnings[0] and "works again" in warnings[1]
    short = RegistrationLoop(
        Refused(),
        BoardDirectory(make_config()),
        URL,
        RunTracker(),
        every=3,
        clock=lambda: 0,
    )
    assert [short.tick() for _ in range(3)] == [1, 2, 3]  # never later than the regular tick


def test_live_while_the_last_pass_left_every_board_its_webhook() -> None:
    # The freshness lines say "every change within seconds" only while this holds.
    class Flaky(FakeTrello):
        down = False

        def list_webhooks(self) -> list[dict[str, Any]]:
            if self.down:
                raise Transient("Trello answered 503", service="trello", status=503)
            return super().list_webhooks()

    trello = Flaky()
    loop = RegistrationLoop(
        trello, BoardDirectory(make_config()), URL, RunTracker(), every=300, clock=lambda: 0
    )
    assert not loop.live  # nothing registered yet
    loop.tick()
    assert loop.live
    trello.down = True
    loop.tick()
    assert not loop.live


def test_the_first_pass_waits_for_the_server_to_listen() -> None:
    # Trello checks the callback with a HEAD request as the webhook is created: before uvicorn listens it
    # would be refused (a warning at every start, and a retry later).
    trello = FakeTrello()
    loop = RegistrationLoop(
        trello, BoardDirectory(make_config()), URL, RunTracker(), every=300, clock=lambda: 0
    )
    listening = threading.Event()
    loop.start(after=listening)
    try:
        time.sleep(0.3)
        assert trello.calls == []
        listening.set()
        deadline = time.monotonic() + 5
        while by_board(trello.hooks) != {BOARD_A: 1, BOARD_B_ID: 1}:
            assert time.monotonic() < deadline
            time.sleep(0.02)
    finally:
        loop.stop()


def test_remove_only_ours_optionally_per_board() -> None:
    trello = FakeTrello()
    a = trello.add(BOARD_A, URL)
    b = trello.add(BOARD_B_ID, URL)
    foreign = trello.add(BOARD_A, OTHER)
    assert remove_webhooks(trello, URL, [BOARD_A]).deleted == [a["id"]]
    assert remove_webhooks(trello, URL).deleted == [b["id"]]
    assert trello.hooks == [foreign]


def test_ours_on_an_older_public_url_are_replaced_and_removable_others_never() -> None:
    trello = FakeTrello()
    old_url = "http://127.0.0.1:8000/webhooks/trello"
    stale = trello.add(BOARD_A, old_url, description="boardsheet: alpha")
    stale_dropped = trello.add("5f1c0ffee0ddba11cafe0999", old_url, description="boardsheet: gone")
    foreign = trello.add(BOARD_A, "http://127.0.0.1:8000/webhooks/trello?x", description="someone else's")
    report = ensure_webhooks(trello, {BOARD_A: "boardsheet: alpha"}, URL)
    assert report.replaced == [BOARD_A] and report.created == []
    assert sorted(report.deleted) == sorted([stale["id"], stale_dropped["id"]])
    assert "1 replaced" in report.summary()
    # The new one exists before the stale one goes: a failed creation never leaves the board deaf.
    assert trello.calls.index(f"create {BOARD_A}") < trello.calls.index(f"delete {stale['id']}")
    assert by_board(trello.hooks) == {BOARD_A: 1}
    assert foreign in trello.hooks
    trello.add(BOARD_B_ID, old_url, description="boardsheet: beta")
    assert len(remove_webhooks(trello, "http://localhost:8000/webhooks/trello").deleted) == 2
    assert len(remove_webhooks(trello, None).deleted) == 0
    assert trello.hooks == [foreign]


def test_short_links_resolve_to_ids_once_each() -> None:
    trello = FakeTrello()
    assert is_board_id(BOARD_A) and not is_board_id(BOARD_B)
    directory = BoardDirectory(make_config())
    assert directory.resolve(trello, [BOARD_A, BOARD_B, BOARD_B]) == {BOARD_A: BOARD_A, BOARD_B: BOARD_B_ID}
    assert directory.resolve(trello) == {BOARD_A: BOARD_A, BOARD_B: BOARD_B_ID}
    assert trello.calls == [f"board {BOARD_B}"]
    assert directory.webhook_descriptions(trello) == {
        BOARD_A: "boardsheet: alpha",
        BOARD_B_ID: "boardsheet: beta",
    }


# -- against the Trello emulator ------------------------------------------------------------------


@pytest.mark.http
def test_ensure_against_the_emulator(trello_emulator: TrelloEmulator, receiver: Receiver) -> None:
    trello = TrelloConnector(KEY, OPS, api_url=trello_emulator.url, retry_seconds=2)
    callback_server = receiver.base + "/webhooks/trello"  # answers Trello's HEAD check and deliveries
    board_a = trello.create_board("Alpha")
    board_b = trello.create_board("Beta")
    dropped = trello.create_board("Dropped")
    other = trello.create_webhook(board_a["id"], callback_server + "?other", "someone else's")
    stale = trello.create_webhook(dropped["id"], callback_server, "ours, no longer configured")

    ids = BoardDirectory(make_config()).resolve(trello, [board_a["id"], board_b["shortLink"]])
    boards = {ids[board_a["id"]]: "boardsheet: a", ids[board_b["shortLink"]]: "boardsheet: b"}
    report = ensure_webhooks(trello, boards, callback_server)
    assert sorted(report.created) == sorted([board_a["id"], board_b["id"]])
    assert report.deleted == [stale["id"]]
    hooks = trello.list_webhooks()
    assert by_board(hooks, callback_server) == {board_a["id"]: 1, board_b["id"]: 1}
    assert any(h["id"] == other["id"] for h in hooks)

    # Trello deactivates a webhook after repeated failures: the next pass recreates it.
    state = trello_emulator.state
    with state.lock:
        hook_a = next(
            h
            for h in state.webhooks.values()
            if h["idModel"] == board_a["id"] and h["callbackURL"] == callback_server
        )
        hook_a["active"] = False
    again = ensure_webhooks(trello, boards, callback_server)
    assert again.recreated == [board_a["id"]] and again.kept == [board_b["id"]]
    hooks = trello.list_webhooks()
    assert by_board(hooks, callback_server) == {board_a["id"]: 1, board_b["id"]: 1}
    assert all(h["active"] for h in hooks)

    removed = remove_webhooks(trello, callback_server)
    assert len(removed.deleted) == 2
    assert [h["id"] for h in trello.list_webhooks()] == [other["id"]]
