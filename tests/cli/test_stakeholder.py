"""The demo's simulated stakeholder edits the sheet as a Google user; a run makes the board follow."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.cli.demo import write_config
from app.cli.stakeholder import STAKEHOLDER, Stakeholder
from app.config.models import load_config
from app.runtime.sync import Syncer
from app.store.store import Store
from connectors.emulators.seeding import Seeded, load_spec
from connectors.emulators.serve import Emulators
from connectors.sheets.auth import emulator_credentials
from connectors.sheets.client import SheetsConnector
from connectors.trello.client import TrelloConnector

pytestmark = pytest.mark.http  # both emulators over loopback


@pytest.fixture
def world() -> Iterator[tuple[Emulators, Seeded]]:
    with Emulators() as emulators:
        yield emulators, emulators.seed(load_spec("demo"))


def test_the_stakeholder_edits_the_sheet_and_the_board_follows(
    world: tuple[Emulators, Seeded], tmp_path: Path
) -> None:
    emulators, seeded = world
    trello = TrelloConnector("emulator-key", "token-ops", api_url=emulators.trello_url)
    sheets = SheetsConnector(emulator_credentials(), api_url=emulators.sheets_url)
    syncer = Syncer(
        load_config(write_config(tmp_path, seeded)), trello, sheets, Store(f"sqlite:///{tmp_path}/s.db")
    )
    syncer.run("social-calendar")
    line = sheets.read_tab(seeded.spreadsheet_id, seeded.tab).rows[0][0]["userEnteredValue"]["stringValue"]
    assert line.startswith("Synced from Trello board")  # the demo shows the list tab's freshness line
    stakeholder = Stakeholder(emulators.sheets_url, seeded.spreadsheet_id, seeded.tab, seed=3)
    stakeholder.share()

    said = [stakeholder.step() for _ in range(6)]
    moved = [m for line in said if line and (m := re.search(r"set the status of “(.*)” to (.*)$", line))]
    assert moved and all(line and line.startswith(STAKEHOLDER) for line in said), said
    syncer.run("social-calendar")

    board = trello.board_snapshot(seeded.board_id)
    lists = {item["id"]: item["name"] for item in board["lists"]}
    title, status = moved[-1].groups()
    (card,) = [c for c in board["cards"] if c["name"] == title]
    assert lists[card["idList"]] == status
    changes = syncer.store.recent_changes("social-calendar")
    assert any(c.member == "the sheet" and c.field == "list" and c.after == status for c in changes)
