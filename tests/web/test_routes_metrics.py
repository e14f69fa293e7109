"""/metrics counts the service's own requests to Trello and Google by status, after a real run."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import google.oauth2.credentials
import pytest
from fastapi.testclient import TestClient

from app.config.models import parse_config
from app.main import create_app
from app.runtime.wiring import Services, build_services
from app.store.store import Store
from connectors.sheets.client import SheetsConnector
from connectors.trello.client import TrelloConnector
from tests.support.services import make_settings
from tests.support.sheets_emulator import SheetsEmulator
from tests.support.trello_emulator import KEY, OPS, TrelloEmulator

pytestmark = pytest.mark.http  # both emulators over loopback


@pytest.fixture
def services(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    trello_emulator: TrelloEmulator,
    sheets_emulator: SheetsEmulator,
) -> Iterator[Services]:
    """A container built the way `boardsheet serve` builds it, over both emulators and one seeded pair."""
    # The Sheets emulator's token, not a developer's key file.
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    trello = TrelloConnector(KEY, OPS, api_url=trello_emulator.url)
    board = trello.create_board("Calendar")
    trello.create_card(trello.create_list(board["id"], "Ideas")["id"], "Launch post")
    token = google.oauth2.credentials.Credentials(token="seed")  # type: ignore[no-untyped-call]
    seeder = SheetsConnector(token, api_url=sheets_emulator.url, requests_per_minute=10_000)
    spreadsheet = seeder.create_spreadsheet("Book", ["Calendar"])
    config = parse_config(
        f"""
pairs:
  - name: social
    trello: {{board: {board["id"]}}}
    sheet: {{spreadsheet: {spreadsheet}, tab: Calendar}}
    columns: [{{header: Title, field: name}}]
"""
    )
    settings = make_settings(
        tmp_path,
        trello_api_key=KEY,
        trello_token=OPS,
        trello_api_url=trello_emulator.url,
        google_sheets_api_url=sheets_emulator.url,
    )
    built = build_services(settings, config, store=Store(settings.database_url))
    try:
        yield built
    finally:
        built.close()


def counted(text: str, service: str, status: str) -> float:
    """The value of boardsheet_api_requests_total for one service and status (0 when absent)."""
    pattern = rf'^boardsheet_api_requests_total\{{service="{service}",status="{status}"\}} (\S+)$'
    match = re.search(pattern, text, re.MULTILINE)
    return float(match.group(1)) if match else 0.0


def test_a_run_counts_its_requests_by_service_and_status(services: Services) -> None:
    client = TestClient(create_app(services=services))
    before = client.get("/metrics").text
    assert counted(before, "sheets", "200") == 0

    services.coordinators.request("social", "admin", force=True)
    assert services.coordinators.get("social").step()
    assert services.coordinators.get("social").health.healthy

    after = client.get("/metrics").text
    assert counted(after, "sheets", "200") >= 2  # at least the read and the write
    assert counted(after, "trello", "200") >= 1  # the board snapshot
