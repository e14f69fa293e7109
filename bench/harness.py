"""A benchmark world: both emulators over loopback, a seeded board, real connectors, a store, a config.

Kept apart from tests/support/world.py on purpose (bench/ never imports tests/); it is the same idea,
smaller. Both seed the same synthetic board (connectors/emulators/synthetic.py).
Requests are counted from the emulators' request logs over HTTP (`GET /_emulator/requests`), as an
outside observer would.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from app.config.models import Config, parse_config
from app.runtime.sync import Clock, RunResult, Syncer
from app.store.store import Store
from connectors.emulators.common import ServerThread
from connectors.emulators.sheets.app import create_app as sheets_app
from connectors.emulators.synthetic import BOARD, board_spec
from connectors.emulators.trello.app import create_app as trello_app
from connectors.emulators.trello.app import seed_from_dict
from connectors.sheets.auth import emulator_credentials
from connectors.sheets.client import SheetsConnector
from connectors.trello.client import TrelloConnector

KEY, OPS, ALICE, SECRET = "emulator-key", "token-ops", "token-alice", "emulator-secret"
PAIR, TAB = "calendar", "Calendar"
COLUMNS = ("due", "name", "list", "labels", "url")
HEADERS = ("Date", "Title", "Status", "Network", "Link")
TWO_WAY = ("due", "list")  # the columns a stakeholder edits in the service figures (docs/configuration.md)


def _column(header: str, field: str, two_way: bool) -> str:
    flag = ", two_way: true" if two_way and field in TWO_WAY else ""
    return f"\n      - {{header: {header}, field: {field}{flag}}}"


def config_yaml(
    board: str, spreadsheet: str, extra: str = "", archived: str = "drop", *, two_way: bool = False
) -> str:
    """The YAML of the one benchmarked pair (`extra`: more keys of the pair, e.g. its views; `two_way`:
    the Date and Status columns flow both ways)."""
    columns = "".join(_column(h, f, two_way) for h, f in zip(HEADERS, COLUMNS, strict=True))
    return (
        f"pairs:\n  - name: {PAIR}\n    trello: {{board: {board}, archived: {archived}}}\n"
        f"    sheet: {{spreadsheet: {spreadsheet}, tab: {TAB}}}\n    timezone: Europe/Paris\n"
        f"{extra}    columns:{columns}\n"
    )


def request_counts(trello_url: str, sheets_url: str) -> Counter[str]:
    """Requests in both emulators' logs: 'trello', 'sheets_read', 'sheets_write' (batchUpdate), and
    'drive' (Drive v3 on the Sheets emulator's port: counted apart, never against the Sheets budget)."""
    counts: Counter[str] = Counter()
    counts["trello"] += len(httpx.get(f"{trello_url}/_emulator/requests").json())
    for entry in httpx.get(f"{sheets_url}/_emulator/requests").json():
        write = entry["method"] == "POST" and entry["path"].endswith(":batchUpdate")
        drive = entry["path"].startswith("/drive/")
        counts["drive" if drive else "sheets_write" if write else "sheets_read"] += 1
    return counts


def clear_counts(trello_url: str, sheets_url: str) -> None:
    """Empty both emulators' request logs."""
    for url in (trello_url, sheets_url):
        httpx.delete(f"{url}/_emulator/requests").raise_for_status()


@dataclass
class World:
    """Running emulators plus what a run needs."""

    trello_url: str
    sheets_url: str
    trello_state: Any  # the Trello emulator's in-memory state, to change cards without HTTP
    ids: dict[str, str]  # seeded names (board, lists, cards) -> ids
    spreadsheet_id: str
    config: Config
    syncer: Syncer

    def sync(self) -> RunResult:
        """Run the pair once."""
        return self.syncer.run(PAIR)

    def counts(self) -> Counter[str]:
        """Requests since the last clear()."""
        return request_counts(self.trello_url, self.sheets_url)

    def clear(self) -> None:
        """Start counting requests afresh."""
        clear_counts(self.trello_url, self.sheets_url)


def _utcnow() -> datetime:
    return datetime.now(UTC)


@contextmanager
def emulators() -> Iterator[tuple[Any, Any, str, str]]:
    """Both emulators on 127.0.0.1 without rate limits or quotas: (trello app, sheets app, urls)."""
    t_app = trello_app(rate_limits=False)
    s_app = sheets_app(quota_per_minute=None)
    with ServerThread(t_app) as t_server, ServerThread(s_app) as s_server:
        yield t_app, s_app, t_server.url, s_server.url


def seed(
    t_app: Any, sheets_url: str, cards: int, days: int = 28, archived: int = 0
) -> tuple[dict[str, str], str]:
    """Seed the board straight into the emulator's state (`archived` of its cards closed), and create an
    empty spreadsheet."""
    ids = seed_from_dict(t_app.state.ctx, board_spec(cards, days, archived))
    sheets = SheetsConnector(emulator_credentials("bench"), api_url=sheets_url, requests_per_minute=100_000)
    return ids, sheets.create_spreadsheet("Content calendar", [TAB])


@contextmanager
def world(
    directory: Path,
    cards: int,
    *,
    days: int = 28,
    extra: str = "",
    clock: Clock | None = None,
    archived: int = 0,
) -> Iterator[World]:
    """A seeded world whose pair has never been synced (cards due over `days` days, `extra` pair keys;
    with `archived` closed cards the pair keeps archived cards' rows)."""
    with emulators() as (t_app, _s_app, trello_url, sheets_url):
        ids, spreadsheet_id = seed(t_app, sheets_url, cards, days, archived)
        keep = "keep" if archived else "drop"
        config = parse_config(config_yaml(ids[BOARD], spreadsheet_id, extra, keep), env={})
        trello = TrelloConnector(KEY, OPS, api_url=trello_url, retry_seconds=5)
        sheets = SheetsConnector(
            emulator_credentials("bench"), api_url=sheets_url, retry_seconds=5, requests_per_minute=100_000
        )
        store = Store(f"sqlite:///{directory / 'state.db'}")
        try:
            syncer = Syncer(config, trello, sheets, store, clock=clock or _utcnow)
            yield World(trello_url, sheets_url, t_app.state.trello, ids, spreadsheet_id, config, syncer)
        finally:
            store.close()
