"""Echoes of our own Trello writes, noted in the store: the webhook they cause still requests a run, but is
not logged twice; one write, one echo, only our token's member's, only within the keep window."""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from typing import Any

import pytest

from app.core.plan import TrelloWrite
from app.core.records import ChangeRecord
from app.runtime.intake import WebhookIntake
from app.runtime.own_writes import CREATED, Echoes, new_card_key, write_card
from app.runtime.tracker import RunTracker
from app.store.echoes import OWN_WRITES_KEPT
from app.store.store import Store
from tests.support.clock import FakeClock
from tests.support.paths import FIXTURES
from tests.support.webhook_fakes import Fake

CARD = "5476fb7437746ac807afe2a5"  # the card of the recorded updateCard.json (a move to "Second list")
WRITER = "4f55dc2f8e0358c24d194be0"  # the member who made that move (here: our token's)


def _body() -> Any:
    return json.loads(
        (FIXTURES / "trello-webhooks" / "yunojuno" / "updateCard.json").read_text(encoding="utf-8")
    )


def _claims(store: Store, *asks: tuple[str, str, object]) -> list[bool]:
    """Each (card, field, member) claimed in turn inside one take_actions transaction."""
    answers: list[bool] = []

    def changes_for(new: set[str], echoes: Echoes) -> Sequence[ChangeRecord]:
        answers.extend(echoes.claim(*ask) for ask in asks)
        return []

    store.take_actions([], changes_for)
    return answers


def test_a_write_is_claimed_once_and_only_while_fresh(store_url: str) -> None:
    clock = FakeClock(100.0)
    with Store(store_url, clock=clock.datetime) as store:
        store.note_own_writes(CARD, ["list", "due"], WRITER)
        assert _claims(store, (CARD, "list", "someone-else"), (CARD, "list", None)) == [False, False]
        assert _claims(store, (CARD, "list", WRITER), (CARD, "list", WRITER)) == [True, False]
        clock.advance(OWN_WRITES_KEPT.total_seconds() + 1)
        assert _claims(store, (CARD, "due", WRITER), ("another", "list", WRITER)) == [False, False]


def test_two_writes_of_a_field_are_two_echoes(store: Store) -> None:
    store.note_own_writes(CARD, ["list"], WRITER)
    store.note_own_writes(CARD, ["list"], WRITER)
    assert _claims(store, (CARD, "list", WRITER)) == [True]  # the claim is committed ...
    assert _claims(store, (CARD, "list", WRITER), (CARD, "list", WRITER)) == [True, False]  # ... once


def test_a_claim_is_undone_with_its_transaction(store: Store) -> None:
    store.note_own_writes(CARD, ["list"], WRITER)

    def fails(new: set[str], echoes: Echoes) -> Sequence[ChangeRecord]:
        assert echoes.claim(CARD, "list", WRITER)
        raise RuntimeError("the change log failed")

    with pytest.raises(RuntimeError):
        store.take_actions(["a1"], fails)
    assert _claims(store, (CARD, "list", WRITER)) == [True]  # Trello's retry still finds its echo


class FailingTrello:
    """A connector whose PUT fails: no echo is coming."""

    def member_id(self) -> str:
        return WRITER

    def update_card(self, card_id: str, **put: Any) -> dict[str, Any]:
        raise ConnectionError("refused")


def test_a_failed_write_is_forgotten(store: Store) -> None:
    write = TrelloWrite(CARD, {"idList": "l1"}, fields=("list",))
    with pytest.raises(ConnectionError):
        write_card(FailingTrello(), store, write)  # type: ignore[arg-type]
    assert _claims(store, (CARD, "list", WRITER)) == [False]


def test_the_echo_of_our_write_requests_a_run_but_adds_no_change_log_row(store: Store) -> None:
    fake = Fake()
    intake = WebhookIntake(fake, store, fake, RunTracker(), FakeClock(0.0))
    try:
        store.note_own_writes(CARD, ["list"], WRITER)
        assert intake.accept(_body()) == "accepted"
    finally:
        intake.close()
    assert store.recent_changes() == []
    assert fake.runs == [("social", "webhook")]


def test_someone_elses_change_of_the_same_card_is_logged(store: Store) -> None:
    fake = Fake()
    intake = WebhookIntake(fake, store, fake, RunTracker(), FakeClock(0.0))
    try:
        store.note_own_writes(CARD, ["name"], WRITER)  # we wrote the title; someone moved the card
        assert intake.accept(_body()) == "accepted"
    finally:
        intake.close()
    assert [c.field for c in store.recent_changes()] == ["list"]


def _created(member: str) -> Any:
    """The recorded webhook turned into the createCard of an idea's card by `member`."""
    body = _body()
    action = body["action"]
    data = action["data"]
    action.update(id="5476fb74" + "c" * 16, type="createCard", idMemberCreator=member)
    action["data"] = {
        "board": data["board"],
        "list": data["listAfter"],
        "card": {**data["card"], "name": "Idea"},
    }
    return body


@pytest.mark.parametrize(("member", "logged"), [(WRITER, []), ("5" * 24, [CREATED])])
def test_the_createcard_webhook_before_trello_answered_is_our_echo_by_the_card_s_name(
    store: Store, member: str, logged: list[str]
) -> None:
    fake = Fake()
    intake = WebhookIntake(fake, store, fake, RunTracker(), FakeClock(0.0))
    try:
        store.note_own_writes(new_card_key("Idea"), [CREATED], WRITER)  # the card's id is not known yet
        assert intake.accept(_created(member)) == "accepted"
    finally:
        intake.close()
    assert [c.field for c in store.recent_changes()] == logged


def test_replicas_claiming_at_once_take_each_write_once(store_url: str, store: Store) -> None:
    store.note_own_writes(CARD, ["list"], WRITER)
    store.note_own_writes(CARD, ["list"], WRITER)
    with Store(store_url) as replica:
        barrier, answers = threading.Barrier(6), []

        def claim(target: Store) -> None:
            barrier.wait()
            answers.extend(_claims(target, (CARD, "list", WRITER)))

        threads = [threading.Thread(target=claim, args=(s,)) for s in [store, replica] * 3]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(answers) == [False] * 4 + [True] * 2  # two writes, two echoes, whoever claims
