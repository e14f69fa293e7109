"""The webhook intake over a real store: a batch is one transaction, yet each delivery has its own answer."""

from __future__ import annotations

import copy
import json
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from app.core.records import ChangeRecord
from app.runtime.intake import WebhookIntake
from app.runtime.own_writes import Echoes
from app.runtime.tracker import RunTracker
from app.store.store import Store
from tests.support.paths import FIXTURES
from tests.support.webhook_fakes import Fake


def _body(action_id: str) -> dict[str, Any]:
    """The recorded updateCard delivery (a card moved) under another action id."""
    path = FIXTURES / "trello-webhooks" / "yunojuno" / "updateCard.json"
    body: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    body["action"]["id"] = action_id
    return body


class HeldStore:
    """A store whose first take_actions waits until released, so the next deliveries form one batch."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.batches: list[list[str]] = []
        self.entered, self.release = threading.Event(), threading.Event()
        self.poison: str | None = None

    def take_actions(
        self, action_ids: Sequence[str], changes_for: Callable[[set[str], Echoes], Sequence[ChangeRecord]]
    ) -> set[str]:
        self.batches.append(list(action_ids))
        self.entered.set()
        self.release.wait(10)
        if self.poison in action_ids:
            raise ConnectionError("the database refused this batch")
        return self.store.take_actions(action_ids, changes_for)


@pytest.fixture
def held(tmp_path: Path) -> Any:
    with Store(f"sqlite:///{tmp_path / 'state.db'}") as store:
        yield HeldStore(store)


def _intake(held: HeldStore, fake: Fake) -> WebhookIntake:
    return WebhookIntake(fake, held, fake, RunTracker(), time.time)


def test_a_batch_takes_each_action_once_and_answers_each_delivery(held: HeldStore) -> None:
    fake = Fake()
    intake = _intake(held, fake)
    first = intake.submit(_body("a0"))
    assert held.entered.wait(10)
    batch = [intake.submit(_body(a)) for a in ("a1", "a0", "a2", "a1")]  # a0 is a retry, a1 comes twice
    held.release.set()
    assert first.result(10) == "accepted"
    assert [f.result(10) for f in batch] == ["accepted", "duplicate", "accepted", "duplicate"]
    assert held.batches == [["a0"], ["a1", "a0", "a2"]]  # one transaction for the four
    assert sorted(c.action_id for c in held.store.recent_changes()) == ["a0", "a1", "a2"]
    assert fake.runs.count(("social", "webhook")) == 2  # one request per batch that had news
    intake.close()


def test_a_delivery_the_store_refuses_fails_alone(held: HeldStore) -> None:
    fake = Fake()
    intake = _intake(held, fake)
    first = intake.submit(_body("b0"))
    assert held.entered.wait(10)
    held.poison = "b2"
    batch = [intake.submit(_body(a)) for a in ("b1", "b2", "b3")]
    held.release.set()
    assert first.result(10) == "accepted"
    assert [f.result(10) if a != "b2" else None for f, a in zip(batch, ("b1", "b2", "b3"), strict=True)] == [
        "accepted", None, "accepted"]  # fmt: skip
    assert isinstance(batch[1].exception(10), ConnectionError)  # its answer is a 500: Trello retries it
    assert sorted(c.action_id for c in held.store.recent_changes()) == ["b0", "b1", "b3"]
    held.poison = None
    assert intake.accept(copy.deepcopy(_body("b2"))) == "accepted"  # the retry is not a duplicate
    intake.close()
