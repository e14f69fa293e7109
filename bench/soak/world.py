"""The soak's world: both emulators (faults switchable at run time), the seeded board and spreadsheet, the
team's extra Trello members, and the pair's YAML with two two-way columns and a Changes tab."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import httpx

from bench.soak.settings import TEAM, SoakSettings
from connectors.emulators.common import Faults
from connectors.emulators.seeding import Seeded, load_spec
from connectors.emulators.serve import Emulators, Options
from connectors.sheets.auth import emulator_credentials
from connectors.sheets.client import SheetsConnector

PAIR, TAB, CHANGES_TAB, IDEAS_TAB = "soak", "Calendar", "Changes", "Ideas"
IDEA_HEADERS = ("Idea", "Why")  # typed by the committee before the service starts
OPS = "token-ops"
# Drive coalesces a spreadsheet's changes for about 3 minutes in production; the soak's emulator pushes
# after 2 s so that sheet edits are noticed by push as well as by the reconcile timer.
PUSH_DELAY = 2.0
RECONCILE_EVERY = "10s"

CONFIG = """\
pairs:
  - name: {pair}
    trello: {{board: "{board}", archived: drop}}
    sheet: {{spreadsheet: "{spreadsheet}", tab: {tab}}}
    timezone: Europe/Paris
    max_deletes: 50%
    reconcile_every: {every}
    conflicts: trello
    changes_tab: {changes}
    columns:
      - {{header: Date, field: due, two_way: true}}
      - {{header: Title, field: name}}
      - {{header: Status, field: list, two_way: true}}
      - {{header: Network, field: labels}}
      - {{header: Owners, field: members}}
      - {{header: Channel, field: "custom:Channel"}}
      - {{header: Done, field: dueComplete}}
    intake:
      tab: {ideas}
      list: Ideas
      columns:
        - {{header: Idea, field: name}}
        - {{header: Why, field: desc}}
"""


@dataclass(frozen=True)
class World:
    """Running emulators and what was seeded into them."""

    emulators: Emulators
    seeded: Seeded
    config: Path

    @property
    def trello_url(self) -> str:
        """The Trello emulator's base URL."""
        return self.emulators.trello_url

    @property
    def sheets_url(self) -> str:
        """The Sheets (and Drive) emulator's base URL."""
        return self.emulators.sheets_url

    def faults(self, error_rate: float, rate_limit_rate: float) -> None:
        """Switch both APIs' injected 503 and 429 shares now (PUT /_emulator/faults on each emulator)."""
        body = {"error_rate": error_rate, "rate_limit_rate": rate_limit_rate}
        for url in (self.trello_url, self.sheets_url):
            httpx.put(f"{url}/_emulator/faults", json=body, timeout=10).raise_for_status()


def _type_idea_headers(sheets_url: str, spreadsheet_id: str) -> None:
    """The Ideas tab's header row, as its owner types it when setting the intake up."""
    sheets = SheetsConnector(emulator_credentials("soak"), api_url=sheets_url)
    tab = sheets.read_tab(spreadsheet_id, IDEAS_TAB)
    cells = [{"userEnteredValue": {"stringValue": h}} for h in IDEA_HEADERS]
    start = {"sheetId": int(tab.sheet_id), "rowIndex": 0, "columnIndex": 0}
    body = {"updateCells": {"start": start, "rows": [{"values": cells}], "fields": "userEnteredValue"}}
    sheets.batch_update(spreadsheet_id, [body])


@contextmanager
def soak_world(directory: Path, settings: SoakSettings, seed: int) -> Iterator[World]:
    """Both emulators on 127.0.0.1, no faults yet; the demo's board with the team as members."""
    options = Options(sheets_quota=None, trello_rate_limits=True, push_delay=PUSH_DELAY)
    with Emulators(faults=Faults(seed=seed), options=options) as emulators:
        state = emulators.trello_app.state.trello
        team = TEAM[: settings.team]
        for token, username, full_name in team:
            if state.member_for(token) is None:
                state.add_member(token, username, full_name)
        spec = load_spec("demo")
        extra = [f"{topic} (part 2)" for topic in spec.topics][: settings.extra_topics]
        spec = replace(spec, members=[OPS, *(t for t, _, _ in team)], topics=[*spec.topics, *extra])
        spec = replace(spec, tabs=[TAB, CHANGES_TAB, IDEAS_TAB])
        seeded = emulators.seed(spec)
        _type_idea_headers(emulators.sheets_url, seeded.spreadsheet_id)
        config = directory / "boardsheet.yaml"
        config.write_text(
            CONFIG.format(
                pair=PAIR,
                board=seeded.short_link,
                spreadsheet=seeded.spreadsheet_id,
                tab=TAB,
                every=RECONCILE_EVERY,
                changes=CHANGES_TAB,
                ideas=IDEAS_TAB,
            ),
            encoding="utf-8",
        )
        yield World(emulators, seeded, config)
