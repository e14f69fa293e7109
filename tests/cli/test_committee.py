"""The demo's committee member types ideas into the protected Ideas tab; each becomes one card."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.cli.committee import COMMITTEE_MEMBER, IDEAS, Committee
from app.cli.demo import write_config
from app.cli.stakeholder import STAKEHOLDER, Stakeholder
from app.config.models import load_config
from app.runtime.sync import Syncer
from app.store.store import Store
from connectors.emulators.seeding import Seeded, load_spec
from connectors.emulators.serve import Emulators
from connectors.errors import AuthError
from connectors.sheets.auth import emulator_credentials
from connectors.sheets.client import SheetsConnector
from connectors.trello.client import TrelloConnector

pytestmark = pytest.mark.http  # both emulators over loopback


@pytest.fixture
def world() -> Iterator[tuple[Emulators, Seeded]]:
    with Emulators() as emulators:
        yield emulators, emulators.seed(load_spec("demo"))


def _text(cell: dict[str, object]) -> str:
    return str(cell.get("formattedValue") or "")


def test_the_committee_s_idea_becomes_a_card_and_only_the_committee_edits_the_tab(
    world: tuple[Emulators, Seeded], tmp_path: Path
) -> None:
    emulators, seeded = world
    trello = TrelloConnector("emulator-key", "token-ops", api_url=emulators.trello_url)
    sheets = SheetsConnector(emulator_credentials(), api_url=emulators.sheets_url)
    config = load_config(write_config(tmp_path, seeded))
    syncer = Syncer(config, trello, sheets, Store(f"sqlite:///{tmp_path}/s.db"))
    committee = Committee(emulators.sheets_url, seeded.spreadsheet_id)
    committee.share()
    Stakeholder(emulators.sheets_url, seeded.spreadsheet_id, seeded.tab).share()
    assert committee.step() is None  # no header yet: the first run writes it
    syncer.run("social-calendar")

    said = committee.step()
    name = IDEAS[0][0]
    assert said == f"{COMMITTEE_MEMBER} (the committee) added the idea “{name}” to the Ideas tab"
    syncer.run("social-calendar")
    board = trello.board_snapshot(seeded.board_id)
    lists = {item["id"]: item["name"] for item in board["lists"]}
    (card,) = [c for c in board["cards"] if c["name"] == name]
    assert lists[card["idList"]] == "Ideas"
    rows = sheets.read_tab(seeded.spreadsheet_id, "Ideas").rows
    header = [_text(c) for c in rows[0]]
    assert _text(rows[1][header.index("Card ID")]) == card["id"]
    assert _text(rows[1][header.index("List")]) == "Ideas"

    # dana may edit the spreadsheet, but the Ideas tab is the committee's (and the chief's).
    dana = SheetsConnector(emulator_credentials(f"user:{STAKEHOLDER}"), api_url=emulators.sheets_url)
    cell = {"userEnteredValue": {"stringValue": "dana's idea"}}
    start = {"sheetId": int(sheets.read_tab(seeded.spreadsheet_id, "Ideas").sheet_id), "rowIndex": 5}
    with pytest.raises(AuthError, match="protected"):
        dana.batch_update(
            seeded.spreadsheet_id,
            [{"updateCells": {"start": start, "rows": [{"values": [cell]}], "fields": "userEnteredValue"}}],
        )
    assert committee.step() is not None  # the committee still can
