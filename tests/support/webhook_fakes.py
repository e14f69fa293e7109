"""The webhook intake's collaborators faked, and the recorded Trello deliveries, for the webhook tests."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from app.core.records import ChangeRecord
from app.runtime.intake import WebhookIntake
from app.runtime.metrics import Metrics
from app.runtime.own_writes import Echoes
from app.runtime.registration import callback_url
from app.runtime.tracker import RunTracker
from tests.support.paths import FIXTURES

SECRET = "test-app-secret"
PUBLIC_URL = "https://boardsheet.example.com/"
CALLBACK = callback_url(PUBLIC_URL)
BODIES = sorted((FIXTURES / "trello-webhooks").rglob("*.json"))
KNOWN_BOARD = "5476fab52086e26047fa328c"


class NoEchoes:
    """Echo claims where none of our writes was noted."""

    def claim(self, card_id: str, field: str, by: object) -> bool:
        return False


@dataclass
class Fake:
    """The store, the board directory and the coordinators, as far as the webhook intake uses them."""

    boards: dict[str, list[str]] = field(default_factory=lambda: {KNOWN_BOARD: ["social"]})
    seen: set[str] = field(default_factory=set)
    changes: list[ChangeRecord] = field(default_factory=list)
    runs: list[tuple[str, str]] = field(default_factory=list)
    fail_store: bool = False
    fail_change_log: bool = False

    def pairs_for(self, board_id: str | None, short_link: str | None) -> list[str]:
        return self.boards.get(board_id or "", []) or self.boards.get(short_link or "", [])

    def board_id(self, pair: str) -> str:
        return KNOWN_BOARD

    def take_actions(
        self, action_ids: Sequence[str], changes_for: Callable[[set[str], Echoes], Sequence[ChangeRecord]]
    ) -> set[str]:
        """As the store: one transaction, so a failure marks nothing seen and logs nothing (no write of
        ours was noted here, so no action is an echo: tests/runtime/test_own_writes.py has the store's)."""
        if self.fail_store:
            raise ConnectionError("database is down")
        new = {a for a in action_ids if a not in self.seen}
        changes = list(changes_for(new, NoEchoes()))
        if self.fail_change_log:
            raise ConnectionError("database is down")
        self.seen |= new
        self.changes.extend(changes)
        return new

    def request(self, name: str, reason: str, *, force: bool = False) -> bool:
        self.runs.append((name, reason))
        return True


@dataclass
class Current:
    """What the module's one server delegates to; replaced for every test."""

    fake: Fake = field(default_factory=Fake)
    metrics: Metrics = field(default_factory=Metrics)

    intakes: dict[int, WebhookIntake] = field(default_factory=dict)

    def intake(self) -> WebhookIntake:
        """The intake of this test's fake (one each: an intake keeps a writer thread)."""
        if id(self.fake) not in self.intakes:
            intake = WebhookIntake(self.fake, self.fake, self.fake, RunTracker(), time.time)
            self.intakes[id(self.fake)] = intake
        return self.intakes[id(self.fake)]


def load(name: str) -> bytes:
    """The recorded delivery called `name` (tests/fixtures/trello-webhooks)."""
    return next(p for p in BODIES if p.name == name).read_bytes()
