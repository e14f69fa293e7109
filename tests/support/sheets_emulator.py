"""The Sheets emulator in tests: one factory, its fixtures, its handles, and request builders.

Every test that needs a Sheets emulator gets it here: the `sheets_emulator` fixture (fresh for one test),
`shared_sheets_emulator` (one per test module; its tests each create their own spreadsheets), or
`running_sheets(...)` for a test that needs its own options (a quota, faults).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import google.oauth2.credentials
import pytest
import requests
from fastapi import FastAPI

from connectors.emulators.common import Faults, ServerThread
from connectors.emulators.sheets.app import create_app
from connectors.emulators.sheets.state import SheetsState
from connectors.sheets.client import SheetsConnector

TOKEN = "test-token"  # a privileged test user: any token but the service-account and user: ones


@dataclass
class SheetsEmulator:
    """A running Sheets emulator: its URL, its in-process app, its fault switches and its server."""

    url: str
    app: FastAPI
    faults: Faults
    server: ServerThread  # stop() it to make the URL unreachable

    @property
    def state(self) -> SheetsState:
        """The emulator's spreadsheets."""
        state: SheetsState = self.app.state.sheets
        return state

    def session(self, token: str | None = TOKEN) -> requests.Session:
        """A requests session sending a bearer token (or none)."""
        session = requests.Session()
        if token is not None:
            session.headers["Authorization"] = f"Bearer {token}"
        return session

    def call(self, method: str, path: str, body: Any = None, **params: Any) -> requests.Response:
        """One authenticated API call; `path` is relative to the server root."""
        with self.session() as session:
            return session.request(method, self.url + path, json=body, params=params or None, timeout=10)

    def as_user(self, email: str) -> requests.Session:
        """A session acting as a Google user (`Bearer user:EMAIL`)."""
        return self.session(f"user:{email}")

    def share(
        self, spreadsheet_id: str, email: str, role: str = "writer", kind: str = "user"
    ) -> dict[str, Any]:
        """Give a user or group (a domain for kind=domain) a role, through Drive permissions.create."""
        body: dict[str, Any] = {"type": kind, "role": role}
        if kind == "domain":
            body["domain"] = email
        elif kind != "anyone":
            body["emailAddress"] = email
        notify = {"sendNotificationEmail": "false"} if kind in ("user", "group") else {}
        response = self.call("POST", f"/drive/v3/files/{spreadsheet_id}/permissions", body, **notify)
        assert response.status_code == 200, response.text
        permission: dict[str, Any] = response.json()
        return permission

    def create(self, title: str = "Test", tabs: list[str] | None = None) -> str:
        """Create a spreadsheet through the API and return its id."""
        body: dict[str, Any] = {"properties": {"title": title}}
        if tabs:
            body["sheets"] = [{"properties": {"title": tab}} for tab in tabs]
        response = self.call("POST", "/v4/spreadsheets", body)
        assert response.status_code == 200, response.text
        spreadsheet_id: str = response.json()["spreadsheetId"]
        return spreadsheet_id

    def batch(self, spreadsheet_id: str, *requests_: dict[str, Any]) -> requests.Response:
        """One spreadsheets.batchUpdate."""
        return self.call(
            "POST", f"/v4/spreadsheets/{spreadsheet_id}:batchUpdate", {"requests": list(requests_)}
        )

    def requests(self) -> list[dict[str, Any]]:
        """The request log, oldest first, read over HTTP as an outside observer would."""
        entries: list[dict[str, Any]] = requests.get(f"{self.url}/_emulator/requests", timeout=10).json()
        return entries

    def clear(self) -> None:
        """Forget the request log."""
        requests.delete(f"{self.url}/_emulator/requests", timeout=10)

    def connector(self, retry_seconds: float = 20.0, **kw: Any) -> SheetsConnector:
        """A connector with a fixed bearer token."""
        token = google.oauth2.credentials.Credentials(token=TOKEN)  # type: ignore[no-untyped-call]
        # The client-side limit is shared per user and endpoint; tests using this are not about it.
        kw.setdefault("requests_per_minute", 10_000)
        return SheetsConnector(token, api_url=self.url, retry_seconds=retry_seconds, **kw)


@contextmanager
def running_sheets(**options: Any) -> Iterator[SheetsEmulator]:
    """An emulator on an ephemeral port; quota off, seeded ids and faults unless `options` say otherwise."""
    options.setdefault("quota_per_minute", None)
    options.setdefault("seed", 3)
    faults: Faults = options.setdefault("faults", Faults(seed=7))
    app = create_app(**options)
    with ServerThread(app) as server:
        yield SheetsEmulator(server.url, app, faults, server)


@pytest.fixture
def sheets_emulator() -> Iterator[SheetsEmulator]:
    """A fresh Sheets emulator for one test."""
    with running_sheets() as emulator:
        yield emulator


@pytest.fixture(scope="module")
def shared_sheets_emulator() -> Iterator[SheetsEmulator]:
    """One Sheets emulator for every test of a module."""
    with running_sheets() as emulator:
        yield emulator


def cell(text: Any) -> dict[str, Any]:
    """A CellData holding a number or a string."""
    key = "numberValue" if isinstance(text, int | float) else "stringValue"
    return {"userEnteredValue": {key: text}}


def rows(*values: list[Any]) -> list[dict[str, Any]]:
    """RowData for updateCells/appendCells."""
    return [{"values": [cell(v) for v in row]} for row in values]


def error(response: Any) -> str:
    """The message of a 400 answer."""
    assert response.status_code == 400, response.text
    message: str = response.json()["error"]["message"]
    return message
