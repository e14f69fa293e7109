"""The whole product over loopback: both emulators (support.world) plus the service under uvicorn.

The service runs in this process (app.cli.demo.service_thread: lifespan on, socket listening before the
app starts), so its URL, and therefore BOARDSHEET_PUBLIC_URL, is known before `create_app`. The Trello
emulator registers the service's webhook, checks it with a HEAD and delivers signed bodies to it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from app.cli.demo import service_thread
from app.config.settings import Settings
from app.main import create_app
from app.runtime.coordinator import Coordinator
from app.runtime.edit_signals import build_attribution
from app.runtime.registration import WEBHOOK_PATH
from app.runtime.sync import Syncer
from app.runtime.wiring import Services, build_services
from connectors.drive.client import DriveConnector
from connectors.emulators.common import Faults
from connectors.emulators.trello.webhooks import sign
from connectors.sheets.auth import emulator_credentials
from connectors.sheets.client import SheetsConnector
from tests.support.trello_emulator import SECRET
from tests.support.waiting import wait_until
from tests.support.world import KEY, OPS, World, world

PAIR = "calendar"
WAIT_SECONDS = 45.0


@dataclass
class Service:
    """The running service, its world, and the Sheets emulator's fault switch."""

    w: World
    url: str
    services: Services
    sheets_faults: Faults

    @property
    def callback(self) -> str:
        """The exact URL Trello signs deliveries for."""
        return self.url + WEBHOOK_PATH

    @property
    def coordinator(self) -> Coordinator:
        """The one pair's coordinator."""
        return self.services.coordinators.get(PAIR)

    def post_body(self, body: bytes, signature: str | None = None) -> httpx.Response:
        """POST a raw webhook body, signed with the app secret unless `signature` is given ("" omits it)."""
        headers = {"Content-Type": "application/json"}
        if signature != "":
            headers["X-Trello-Webhook"] = signature or sign(SECRET, body, self.callback)
        return httpx.post(self.callback, content=body, headers=headers, timeout=10)

    def status(self) -> dict[str, Any]:
        """GET /status."""
        response = httpx.get(self.url + "/status", timeout=10)
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    def drain_deliveries(self) -> None:
        """Wait until the Trello emulator has delivered every queued webhook."""
        assert self.w.trello_app.state.ctx.dispatcher.drain(WAIT_SECONDS), "webhook deliveries still queued"

    def idle(self) -> bool:
        """True when no run is in flight and every request so far has been taken by a run."""
        h = self.coordinator.health
        if h.running or h.last_request is None:
            return not h.running
        return h.last_run_started is not None and h.last_run_started >= h.last_request and h.runs > 0

    def settle(self) -> None:
        """Wait for the deliveries, then for the coordinator to serve every request they made."""
        self.drain_deliveries()
        wait_until(self.idle, "the coordinator to serve every request")

    def webhook_outcomes(self) -> dict[str, int]:
        """The service's webhook counter by outcome ("accepted", "duplicate", "bad_signature", ...)."""
        counts: dict[str, int] = {}
        for metric in self.services.metrics.registry.collect():
            for sample in metric.samples:
                if sample.name == "boardsheet_webhooks_total":
                    counts[sample.labels["outcome"]] = int(sample.value)
        return counts

    def sheets_writes(self) -> int:
        """Sheets writes (POST :batchUpdate) since the last `w.clear_logs()`."""
        return self.w.calls()["sheets_write"]


def sheet_rows(w: World) -> list[dict[str, str]]:
    """The Calendar tab's data rows as header -> value."""
    values = w.values()
    if not values:
        return []
    header = values[0]
    return [dict(zip(header, row + [""] * (len(header) - len(row)), strict=True)) for row in values[1:]]


def board_cards(w: World) -> dict[str, tuple[str, str]]:
    """Open cards of the board: id -> (name, list name), read straight from the Trello API."""
    with w.trello_client() as trello:
        lists = {lst["id"]: lst["name"] for lst in trello.get(f"/1/boards/{w.board_id}/lists").json()}
        cards = trello.get(f"/1/boards/{w.board_id}/cards").json()
    return {card["id"]: (card["name"], lists[card["idList"]]) for card in cards}


def duplicate_keys(w: World) -> list[str]:
    """Card ids shown on more than one row."""
    counts = Counter(row["Card ID"] for row in sheet_rows(w))
    return [key for key, n in counts.items() if n > 1]


def sheet_equals_board(w: World) -> bool:
    """True when every open card has exactly one row showing its name and list, and nothing else."""
    rows = sheet_rows(w)
    shown = {row["Card ID"]: (row["Title"], row["Status"]) for row in rows}
    return len(shown) == len(rows) and shown == board_cards(w)


def action_body(w: World, action_id: str, card_id: str, *, who: str = "Bob Durand") -> bytes:
    """A Trello webhook body: `who` renamed card `card_id` on the world's board (nothing really changes)."""
    action = {
        "id": action_id,
        "type": "updateCard",
        "date": "2026-11-25T10:00:00.000Z",
        "memberCreator": {"fullName": who, "username": who.split(maxsplit=1)[0].lower()},
        "data": {
            "board": {"id": w.board_id},
            "card": {"id": card_id, "name": "Renamed"},
            "old": {"name": "Before"},
        },
    }
    return json.dumps({"action": action, "model": {"id": w.board_id}}).encode()


def _settings(w: World, url: str, debounce: float, max_wait: float) -> Settings:
    """The service's settings, by keyword: emulators, this process's public URL, the app secret."""
    return Settings.model_validate(
        {
            "TRELLO_API_KEY": KEY,
            "TRELLO_TOKEN": OPS,
            "TRELLO_APP_SECRET": SECRET,
            "TRELLO_API_URL": w.trello_url,
            "GOOGLE_SHEETS_API_URL": w.sheets_url,
            "BOARDSHEET_PUBLIC_URL": url,
            "BOARDSHEET_DEBOUNCE": debounce,
            "BOARDSHEET_MAX_WAIT": max_wait,
        }
    )


@contextmanager
def service(
    tmp_path: Path,
    cards: int = 12,
    *,
    debounce: float = 1.0,
    max_wait: float = 5.0,
    sheets_retry_seconds: float = 5.0,
    extra: str = "",
    columns: str | None = None,
    drive: bool = False,
) -> Iterator[Service]:
    """Emulators, the seeded board, and the service started on them; waits for its webhook and first sync.

    `drive`: the service also talks to the emulator's Drive v3 (push channels, last modifier), and its
    runs name the sheet's editors from it. `columns`: the pair's columns (YAML list items), else the world's.
    """
    faults = Faults()
    with world(tmp_path, cards, sheets_faults=faults) as w:
        if extra or columns:
            w.configure(**({"columns": columns} if columns else {}), extra=extra)
        # The service's own Sheets connector, so a test can choose how long a run retries a 503.
        sheets = SheetsConnector(
            emulator_credentials("test-world"),
            api_url=w.sheets_url,
            retry_seconds=sheets_retry_seconds,
            requests_per_minute=100_000,
        )
        thread = service_thread()
        settings = _settings(w, thread.url, debounce, max_wait)
        connector = (
            DriveConnector(emulator_credentials("test-world"), api_url=w.sheets_url, retry_seconds=5.0)
            if drive
            else None
        )
        editors = build_attribution(w.config, w.store, connector)
        syncer = Syncer(w.config, w.trello, sheets, w.store, editors=editors)
        services = build_services(
            settings, w.config, store=w.store, trello=w.trello, runner=syncer.run, drive=connector
        )
        try:
            thread.start(create_app(settings, w.config, services=services))
            running = Service(w, thread.url, services, faults)
            wait_until(lambda: _registered(running), "the webhook registration")
            wait_until(lambda: running.coordinator.health.last_success, "the first sync")
            yield running
        finally:
            thread.stop()


def _registered(s: Service) -> bool:
    """True once the emulator holds one active webhook on the board pointing at the service."""
    hooks = s.w.trello_app.state.trello.webhooks.values()
    ours = [h for h in hooks if h["callbackURL"] == s.callback and h["idModel"] == s.w.board_id]
    return len(ours) == 1 and bool(ours[0]["active"])
