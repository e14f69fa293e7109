"""Echoes of our own Trello writes: the webhook they cause still requests a run, but is not logged twice."""

from __future__ import annotations

import json
import time

from app.runtime.intake import WebhookIntake
from app.runtime.own_writes import OwnWrites
from app.runtime.tracker import RunTracker
from tests.support.clock import FakeClock
from tests.support.paths import FIXTURES
from tests.support.webhook_fakes import Fake

CARD = "5476fb7437746ac807afe2a5"  # the card of the recorded updateCard.json (a move to "Second list")
WRITER = "4f55dc2f8e0358c24d194be0"  # the member who made that move (here: our token's)


def _body() -> object:
    return json.loads(
        (FIXTURES / "trello-webhooks" / "yunojuno" / "updateCard.json").read_text(encoding="utf-8")
    )


def test_a_write_is_claimed_once_and_only_while_fresh() -> None:
    clock = FakeClock(100.0)
    own = OwnWrites(clock, keep=60)
    own.note(CARD, ["list", "due"], WRITER)
    assert not own.claim(CARD, "list", "someone-else")  # only our member's changes are echoes
    assert not own.claim(CARD, "list", None)
    assert own.claim(CARD, "list", WRITER)
    assert not own.claim(CARD, "list", WRITER)  # one write, one echo
    clock.advance(61)
    assert not own.claim(CARD, "due", WRITER)  # too late to be an echo
    assert not own.claim("another", "list", WRITER)


def test_the_echo_of_our_write_requests_a_run_but_adds_no_change_log_row() -> None:
    fake, own = Fake(), OwnWrites()
    intake = WebhookIntake(fake, fake, fake, RunTracker(), time.time, own)
    own.note(CARD, ["list"], WRITER)
    assert intake.accept(_body()) == "accepted"
    assert fake.changes == []
    assert fake.runs == [("social", "webhook")]


def test_someone_elses_change_of_the_same_card_is_logged() -> None:
    fake, own = Fake(), OwnWrites()
    intake = WebhookIntake(fake, fake, fake, RunTracker(), time.time, own)
    own.note(CARD, ["name"], WRITER)  # we wrote the title; someone moved the card
    intake.accept(_body())
    assert [c.field for c in fake.changes] == ["list"]
