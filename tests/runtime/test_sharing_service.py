"""The service runs the sharing audit: the lifespan starts it (its first pass grants at once) and stops it."""

from __future__ import annotations

from pathlib import Path

import google.oauth2.credentials
import pytest
from fastapi.testclient import TestClient

from app.config.models import parse_config
from app.main import create_app
from app.runtime.wiring import build_services
from app.store.store import Store
from connectors.drive.client import DriveConnector
from tests.support.services import FakeRunner, FakeTrello, make_settings
from tests.support.sheets_emulator import running_sheets
from tests.support.waiting import wait_until

pytestmark = pytest.mark.http  # the Sheets emulator (with Drive v3) over loopback

BOT = "bot@boardsheet.iam.gserviceaccount.com"
YAML = """\
roles:
  chief: [chief@example.org]
pairs:
  - name: social
    trello: {{board: AbCdEfGh}}
    sheet: {{spreadsheet: {spreadsheet}, tab: Calendar, share: {share}}}
    columns:
      - {{header: Title, field: name, two_way: true, editable_by: [chief]}}
"""


@pytest.mark.parametrize("share", ["true", "false"])
def test_the_service_audits_sharing_only_where_it_is_on(tmp_path: Path, share: str) -> None:
    with running_sheets() as emu:
        spreadsheet = emu.create("Calendar", ["Calendar"])
        emu.share(spreadsheet, BOT, "writer")
        token = google.oauth2.credentials.Credentials(token=f"user:{BOT}")  # type: ignore[no-untyped-call]
        drive = DriveConnector(token, api_url=emu.url, retry_seconds=2.0, sharing=True)
        config = parse_config(YAML.format(spreadsheet=spreadsheet, share=share))
        services = build_services(
            make_settings(tmp_path), config, store=Store(f"sqlite:///{tmp_path / 'state.db'}"),
            trello=FakeTrello(), runner=FakeRunner(), drive=drive,
        )  # fmt: skip
        assert (services.sharing is not None) == (share == "true")
        with TestClient(create_app(services=services)) as client:
            if share == "true":
                wait_until(
                    lambda: client.get("/status").json()["sharing"][0]["audited_at"], "the first audit"
                )
                roles = {p.address: p.role for p in drive.permissions(spreadsheet)}
                assert roles["chief@example.org"] == "writer"
            else:
                assert client.get("/status").json()["sharing"] == []
        if services.sharing is not None:
            assert not services.sharing.running  # stopped with the service
        services.close()
