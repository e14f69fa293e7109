"""A whole world for end-to-end tests: both emulators over real HTTP, real connectors, a store, a config."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from app.config.models import Config, parse_config
from app.runtime.sync import RunResult, Syncer
from app.store.store import Store
from connectors.emulators.common import Faults
from connectors.emulators.synthetic import BOARD, LISTS, board_spec
from connectors.emulators.trello.app import seed_from_dict
from connectors.sheets.auth import emulator_credentials
from connectors.sheets.client import SheetsConnector
from connectors.trello.client import TrelloConnector
from tests.support.sheets_emulator import running_sheets
from tests.support.trello_emulator import ALICE, KEY, OPS, running_trello

__all__ = ["ALICE", "KEY", "LISTS", "OPS", "World", "config_text", "world"]

COLUMNS = """
      - {header: Date, field: due}
      - {header: Title, field: name}
      - {header: Status, field: list}
      - {header: Network, field: labels}
      - {header: Link, field: url}
"""
KEY_COLUMN = 5  # the Card ID column's index: it follows COLUMNS' five


def config_text(board: str, spreadsheet: str, columns: str = COLUMNS, extra: str = "") -> str:
    """The YAML of one pair named `calendar` on the Calendar tab."""
    return f"""
pairs:
  - name: calendar
    trello: {{board: {board}}}
    sheet: {{spreadsheet: {spreadsheet}, tab: Calendar}}
    timezone: Europe/Paris
{extra}    columns:{columns}"""


@dataclass
class World:
    """Running emulators plus everything a run needs."""

    trello_url: str
    sheets_url: str
    trello_app: Any
    sheets_app: Any
    trello: TrelloConnector
    sheets: SheetsConnector
    store: Store
    board_id: str
    ids: dict[str, str]
    spreadsheet_id: str
    config: Config

    def syncer(self) -> Syncer:
        """A Syncer over this world's connectors and store."""
        return Syncer(self.config, self.trello, self.sheets, self.store)

    def sync(self, **options: Any) -> RunResult:
        """Run the `calendar` pair once."""
        return self.syncer().run("calendar", **options)

    def configure(self, columns: str = COLUMNS, extra: str = "") -> None:
        """Replace the pair's configuration."""
        self.config = parse_config(config_text(self.board_id, self.spreadsheet_id, columns, extra), env={})

    def values(self, tab: str = "Calendar") -> list[list[str]]:
        """The tab's formatted values as a stakeholder sees them."""
        response = httpx.get(
            f"{self.sheets_url}/v4/spreadsheets/{self.spreadsheet_id}/values/{tab}",
            headers={"Authorization": "Bearer test"},
        )
        response.raise_for_status()
        rows: list[list[str]] = response.json().get("values", [])
        return rows

    def batch_update(self, requests: list[dict[str, Any]]) -> None:
        """A stakeholder's edit, straight through the API."""
        response = httpx.post(
            f"{self.sheets_url}/v4/spreadsheets/{self.spreadsheet_id}:batchUpdate",
            headers={"Authorization": "Bearer stakeholder"},
            json={"requests": requests},
        )
        assert response.status_code == 200, response.text

    def paste_key(self, row: int, key: str, tab: str = "Calendar") -> None:
        """A stakeholder pastes `key` into the Card ID cell of the tab's 0-based `row` (a copied row)."""
        answer = httpx.get(
            f"{self.sheets_url}/v4/spreadsheets/{self.spreadsheet_id}",
            params={"fields": "sheets.properties"},
            headers={"Authorization": "Bearer test"},
        )
        answer.raise_for_status()
        tabs = [sheet["properties"] for sheet in answer.json()["sheets"]]
        sid = next(props.get("sheetId", 0) for props in tabs if props["title"] == tab)
        self.batch_update(
            [{"updateCells": {
                "start": {"sheetId": sid, "rowIndex": row, "columnIndex": KEY_COLUMN},
                "rows": [{"values": [{"userEnteredValue": {"stringValue": key}}]}],
                "fields": "userEnteredValue",
            }}]
        )  # fmt: skip

    def share_as_writers(self, *emails: str) -> None:
        """The spreadsheet's owner shares it with these Google users as writers (Drive permissions)."""
        for email in emails:
            answer = httpx.post(
                f"{self.sheets_url}/drive/v3/files/{self.spreadsheet_id}/permissions",
                headers={"Authorization": "Bearer test"},
                json={"type": "user", "role": "writer", "emailAddress": email},
            )
            assert answer.status_code == 200, answer.text

    def protected_ranges(self, description: str = "boardsheet") -> list[dict[str, Any]]:
        """Every tab's protected ranges whose description starts with `description`, each with its "tab"."""
        answer = httpx.get(
            f"{self.sheets_url}/v4/spreadsheets/{self.spreadsheet_id}",
            params={"fields": "sheets(properties.title,protectedRanges)"},
            headers={"Authorization": "Bearer test"},
        )
        answer.raise_for_status()
        return [
            {**p, "tab": sheet["properties"]["title"]}
            for sheet in answer.json()["sheets"]
            for p in sheet.get("protectedRanges", [])
            if str(p.get("description", "")).startswith(description)
        ]

    def trello_client(self, token: str = OPS) -> httpx.Client:
        """A raw Trello API client for a teammate."""
        return httpx.Client(base_url=self.trello_url, params={"key": KEY, "token": token}, timeout=10)

    def clear_logs(self) -> None:
        """Forget both emulators' request logs."""
        self.trello_app.state.request_log.clear()
        self.sheets_app.state.request_log.clear()

    def calls(self) -> Counter[str]:
        """Requests since clear_logs(): 'trello', 'sheets_read', 'sheets_write'."""
        counts: Counter[str] = Counter()
        counts["trello"] = len(self.trello_app.state.request_log.snapshot())
        for entry in self.sheets_app.state.request_log.snapshot():
            write = entry["method"] == "POST" and entry["path"].endswith(":batchUpdate")
            counts["sheets_write" if write else "sheets_read"] += 1
        return counts


@contextmanager
def world(tmp_path: Path, cards: int = 12, *, sheets_faults: Faults | None = None) -> Iterator[World]:
    """Start both emulators, seed a board with `cards` cards and an empty spreadsheet."""
    faults = {} if sheets_faults is None else {"faults": sheets_faults}
    with running_trello(rate_limits=False) as t_emulator, running_sheets(**faults) as s_emulator:
        t_app, s_app = t_emulator.app, s_emulator.app
        ids = seed_from_dict(t_emulator.ctx, board_spec(cards))
        board_id = ids[BOARD]
        trello = TrelloConnector(KEY, OPS, api_url=t_emulator.url, retry_seconds=5)
        sheets = SheetsConnector(
            emulator_credentials("test-world"),
            api_url=s_emulator.url,
            retry_seconds=5,
            requests_per_minute=100_000,
        )
        spreadsheet_id = sheets.create_spreadsheet("Content calendar", ["Calendar"])
        config = parse_config(config_text(board_id, spreadsheet_id), env={})
        store = Store(f"sqlite:///{tmp_path / 'state.db'}")
        try:
            yield World(
                t_emulator.url,
                s_emulator.url,
                t_app,
                s_app,
                trello,
                sheets,
                store,
                board_id,
                ids,
                spreadsheet_id,
                config,
            )
        finally:
            store.close()


def cli_env(w: World, tmp_path: Path, token: str = "token-ops", tab: str = "Calendar") -> dict[str, str]:
    """The environment a `boardsheet` command needs to sync `w`'s pair (its YAML written in `tmp_path`)."""
    config = tmp_path / "boardsheet.yaml"
    config.write_text(config_text(w.board_id, w.spreadsheet_id).replace("tab: Calendar", f"tab: {tab}"))
    return {
        "BOARDSHEET_CONFIG": str(config),
        "BOARDSHEET_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
        "TRELLO_API_KEY": "emulator-key",
        "TRELLO_TOKEN": token,
        "TRELLO_API_URL": w.trello_url,
        "GOOGLE_SHEETS_API_URL": w.sheets_url,
        "GOOGLE_APPLICATION_CREDENTIALS": "",
    }
