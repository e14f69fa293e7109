"""The service shell without a network: a config, a fake Trello, a fake runner, a Services container.

Fixtures: `make` builds containers over tmp_path (closed after the test), `runner` is a fresh FakeRunner.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from app.config.models import Config, parse_config
from app.config.settings import Settings
from app.core.records import Outcome, RunRecord
from app.runtime.wiring import Services, build_services
from app.store.store import Store

ADMIN_TOKEN = "a-long-random-admin-token-0123456789"
APP_SECRET = "test-app-secret"
BOARD_A = "5f1c0ffee0ddba11cafe0001"
BOARD_B = "BbBbBbBb"  # a short link
BOARD_B_ID = "5f1c0ffee0ddba11cafe0002"


def make_config(reconcile: str = "5m") -> Config:
    """Two pairs: one names its board by id, the other by short link."""
    text = f"""
pairs:
  - name: alpha
    trello: {{board: {BOARD_A}}}
    sheet: {{spreadsheet: sheet1, tab: Calendar}}
    reconcile_every: {reconcile}
    columns: [{{header: Title, field: name}}]
  - name: beta
    trello: {{board: {BOARD_B}}}
    sheet: {{spreadsheet: sheet2, tab: Calendar}}
    reconcile_every: {reconcile}
    columns: [{{header: Title, field: name}}]
"""
    return parse_config(text)


class FakeTrello:
    """The four TrelloConnector methods the shell calls, over an in-memory list of webhooks."""

    def __init__(self, boards: dict[str, str] | None = None) -> None:
        self.boards = boards if boards is not None else {BOARD_A: BOARD_A, BOARD_B: BOARD_B_ID}
        self.hooks: list[dict[str, Any]] = []
        self.calls: list[str] = []
        self._ids = itertools.count(1)

    def add(self, board: str, url: str, *, active: bool = True, description: str = "") -> dict[str, Any]:
        """Put a webhook there directly (as if made earlier or by someone else)."""
        hook = {"id": f"h{next(self._ids)}", "idModel": board, "callbackURL": url, "active": active}
        hook["description"] = description
        self.hooks.append(hook)
        return hook

    def list_webhooks(self) -> list[dict[str, Any]]:
        self.calls.append("list")
        return [dict(h) for h in self.hooks]

    def create_webhook(self, model_id: str, callback_url: str, description: str = "") -> dict[str, Any]:
        self.calls.append(f"create {model_id}")
        return self.add(model_id, callback_url, description=description)

    def delete_webhook(self, webhook_id: str) -> None:
        self.calls.append(f"delete {webhook_id}")
        self.hooks = [h for h in self.hooks if h["id"] != webhook_id]

    def board_snapshot(self, board_id: str) -> dict[str, Any]:
        self.calls.append(f"board {board_id}")
        return {"id": self.boards[board_id]}


def run_record(pair: str, outcome: Outcome = "ok", **counts: int) -> RunRecord:
    """What a run of `pair` ending in `outcome` returns (times are not looked at by these tests)."""
    at = datetime(2027, 1, 1, tzinfo=UTC)
    return RunRecord(pair=pair, started_at=at, finished_at=at, outcome=outcome, **counts)


class FakeRunner:
    """Records the pairs it ran; raises `error` when set, else returns a run record ending `outcome`."""

    def __init__(self) -> None:
        self.ran: list[str] = []
        self.error: Exception | None = None
        self.outcome: Outcome = "ok"
        self.result: RunRecord | None = None  # returned as is when set

    def __call__(self, pair: str) -> RunRecord:
        self.ran.append(pair)
        if self.error is not None:
            raise self.error
        return self.result if self.result is not None else run_record(pair, self.outcome)


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    """Settings for tests: a SQLite file under tmp_path, no admin token or public URL unless given."""
    values: dict[str, Any] = {
        "database_url": f"sqlite:///{tmp_path / 'state.db'}",
        "trello_app_secret": APP_SECRET,
        "admin_token": None,
        "public_url": None,
        "trello_api_url": None,
        "google_sheets_api_url": None,
    }
    values.update(overrides)
    return Settings(**values)


def make_services(
    tmp_path: Path,
    *,
    runner: Callable[[str], RunRecord] | None = None,
    trello: FakeTrello | None = None,
    clock: Callable[[], float] | None = None,
    config: Config | None = None,
    **settings: Any,
) -> Services:
    """A container over a fresh SQLite store, a fake Trello and a fake runner."""
    extra: dict[str, Any] = {} if clock is None else {"clock": clock}
    return build_services(
        make_settings(tmp_path, **settings),
        config or make_config(),
        store=Store(f"sqlite:///{tmp_path / 'state.db'}"),
        trello=trello or FakeTrello(),
        runner=runner or FakeRunner(),
        **extra,
    )


NOW = 1_800_000_000.0  # a fixed "now" for the shell's clock (a FakeClock starting there)


@pytest.fixture
def make(tmp_path: Path) -> Iterator[Callable[..., Services]]:
    """Build containers over tmp_path; their workers and stores are closed after the test."""
    made: list[Services] = []

    def build(**kw: Any) -> Services:
        made.append(make_services(tmp_path, **kw))
        return made[-1]

    yield build
    for services in made:
        services.coordinators.stop(timeout=5)
        services.close()


@pytest.fixture
def runner() -> FakeRunner:
    """A fake runner recording the pairs it ran."""
    return FakeRunner()
