"""The whole product on loopback: both emulators, a seeded board, and the service built by create_app.

The service runs under uvicorn with its lifespan (coordinators, webhook registration), exactly as
`boardsheet serve` would, with the default debounce; the Trello emulator delivers signed webhooks to it.
Its Date and Status columns are two-way (docs/configuration.md "Two-way columns"): a stakeholder's edit
reaches Trello.
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from app.cli.demo import service_thread
from app.config.models import parse_config
from app.config.settings import Settings
from app.main import create_app
from app.runtime.registration import callback_url
from bench.harness import KEY, OPS, SECRET, TAB, clear_counts, config_yaml, emulators, request_counts
from bench.harness import seed as seed_world
from connectors.emulators.synthetic import BOARD

READY_TIMEOUT = 60.0


@dataclass
class Service:
    """A running service with its emulators and the ids of what was seeded."""

    url: str
    trello_url: str
    sheets_url: str
    ids: dict[str, str]
    spreadsheet_id: str

    @property
    def callback(self) -> str:
        """The webhook callback URL the service verifies signatures against."""
        return callback_url(self.url)

    @property
    def board_id(self) -> str:
        """The seeded board."""
        return self.ids[BOARD]

    def trello(self) -> httpx.Client:
        """A teammate's Trello API client."""
        return httpx.Client(base_url=self.trello_url, params={"key": KEY, "token": OPS}, timeout=10)

    def sheet(self, http: httpx.Client) -> list[list[str]]:
        """The tab's formatted values, header row first, as a stakeholder sees them."""
        response = http.get(
            f"{self.sheets_url}/v4/spreadsheets/{self.spreadsheet_id}/values/{TAB}",
            headers={"Authorization": "Bearer stakeholder"},
        )
        response.raise_for_status()
        rows: list[list[str]] = response.json().get("values", [])
        return rows

    def counts(self) -> dict[str, int]:
        """Requests the emulators saw since clear()."""
        return dict(request_counts(self.trello_url, self.sheets_url))

    def clear(self) -> None:
        """Start counting requests afresh."""
        clear_counts(self.trello_url, self.sheets_url)


def settings(directory: Path, trello_url: str, sheets_url: str, public_url: str) -> Settings:
    """The service's environment: emulators, a SQLite store in `directory`, default debounce."""
    return Settings.model_validate(
        {
            "TRELLO_API_KEY": KEY,
            "TRELLO_TOKEN": OPS,
            "TRELLO_APP_SECRET": SECRET,
            "TRELLO_API_URL": trello_url,
            "GOOGLE_SHEETS_API_URL": sheets_url,
            "BOARDSHEET_PUBLIC_URL": public_url,
            "BOARDSHEET_DATABASE_URL": f"sqlite:///{directory / 'boardsheet.db'}",
        }
    )


def wait_until(check: Callable[[], bool], timeout: float, what: str, every: float = 0.05) -> None:
    """Poll `check` every `every` s until it holds; RuntimeError naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        time.sleep(every)


def _ready(service: Service, cards: int) -> None:
    """Wait for the webhook registration and the first sync to land."""
    with service.trello() as trello, httpx.Client(timeout=10) as http:

        def hooked() -> bool:
            hooks: list[dict[str, Any]] = trello.get(f"/1/tokens/{OPS}/webhooks").json()
            return any(h.get("callbackURL") == service.callback and h.get("active") for h in hooks)

        wait_until(hooked, READY_TIMEOUT, "the webhook registration")
        wait_until(lambda: len(service.sheet(http)) == cards + 1, READY_TIMEOUT, "the first sync")


@contextmanager
def quiet_logging() -> Iterator[None]:
    """Keep the service's per-run INFO lines out of the figures; restore the root logger afterwards."""
    root, alembic = logging.getLogger(), logging.getLogger("alembic")
    level, handlers, alembic_level = root.level, list(root.handlers), alembic.level
    alembic.setLevel(logging.WARNING)  # the store's migrations log at INFO
    try:
        yield
    finally:
        for handler in [h for h in root.handlers if h not in handlers]:
            root.removeHandler(handler)
            handler.close()
        root.setLevel(level)
        alembic.setLevel(alembic_level)


@contextmanager
def running_service(cards: int) -> Iterator[Service]:
    """Emulators + a seeded board of `cards` cards + the service, synced once and listening."""
    with (
        quiet_logging(),
        tempfile.TemporaryDirectory(prefix="boardsheet-bench-") as tmp,
        emulators() as (
            t_app,
            _s_app,
            trello_url,
            sheets_url,
        ),
    ):
        ids, spreadsheet_id = seed_world(t_app, sheets_url, cards)
        config = parse_config(config_yaml(ids[BOARD], spreadsheet_id, two_way=True), env={})
        thread = service_thread()
        try:
            app = create_app(settings(Path(tmp), trello_url, sheets_url, thread.url), config)
            logging.getLogger().setLevel(logging.WARNING)  # create_app set INFO: one line per run
            thread.start(app)
            service = Service(thread.url, trello_url, sheets_url, ids, spreadsheet_id)
            _ready(service, cards)
            yield service
        finally:
            thread.stop()
