"""The intake in a soak: a committee member types new ideas into the Ideas tab during the burst (the pair's
`intake`), and the check that every idea became exactly one card, named on its row."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from typing import Any

from bench.soak.world import IDEAS_TAB, World
from connectors.sheets.auth import emulator_credentials
from connectors.sheets.client import SheetsConnector
from connectors.sheets.tab_snapshot import TabSnapshot

COMMITTEE = "gil@example.com"  # the brainstorm committee's member typing ideas
CARD_HEADER = "Card ID"
WHY = ("builds up the launch", "answers a customer question", "fills a gap in March", "partner asked")


def _text(cell: dict[str, Any]) -> str:
    return str(cell.get("formattedValue") or "")


class IdeaTyper:
    """Types one new idea (title and why) on the first row below the Ideas tab's last one, as a person."""

    def __init__(self, world: World, seed: int) -> None:
        self._world, self._random = world, random.Random(seed)
        self._sheets = SheetsConnector(emulator_credentials(f"user:{COMMITTEE}"), api_url=world.sheets_url)
        self._count = 0
        self.typed: list[str] = []  # the ideas whose write was answered (read by the check afterwards)

    def step(self) -> str | None:
        """Type the next idea; its title (every title is new: the check finds each idea's card by it)."""
        snapshot = self._sheets.read_tab(self._world.seeded.spreadsheet_id, IDEAS_TAB)
        title = f"Idea {self._count + 1}"
        cells = [{"userEnteredValue": {"stringValue": v}} for v in (title, self._random.choice(WHY))]
        start = {"sheetId": int(snapshot.sheet_id), "rowIndex": max(len(snapshot.rows), 1), "columnIndex": 0}
        body = {"updateCells": {"start": start, "rows": [{"values": cells}], "fields": "userEnteredValue"}}
        self._count += 1  # counted before the write: a write applied but unanswered keeps its title unique
        self._sheets.batch_update(self._world.seeded.spreadsheet_id, [body])
        self.typed.append(title)
        return title


def read_ideas(world: World) -> TabSnapshot:
    """The Ideas tab as the service account reads it."""
    sheets = SheetsConnector(emulator_credentials("soak"), api_url=world.sheets_url, retry_seconds=5)
    return sheets.read_tab(world.seeded.spreadsheet_id, IDEAS_TAB)


def _idea_rows(snapshot: TabSnapshot) -> list[tuple[int, str, str]]:
    """(row number, idea title, card id) of every idea row (title or card id present), 1-based rows."""
    rows = snapshot.rows
    headers = [_text(c) for c in rows[0]] if rows else []
    at = headers.index(CARD_HEADER) if CARD_HEADER in headers else None
    found = []
    for n, cells in enumerate(rows[1:], start=2):
        title = _text(cells[0]) if cells else ""
        card = _text(cells[at]) if at is not None and len(cells) > at else ""
        if title or card:
            found.append((n, title, card))
    return found


def ideas_waiting(snapshot: TabSnapshot) -> bool:
    """True while an idea row has no card yet (the intake has not caught up)."""
    return any(not card for _, _, card in _idea_rows(snapshot))


def idea_problems(
    snapshot: TabSnapshot, typed: Sequence[str], ops_creates: Sequence[dict[str, Any]]
) -> list[str]:
    """Each typed idea created exactly one card; each idea row names one card, no card on two rows; as
    many cards created by the service as idea rows (a row's title may have been renamed since, in Trello)."""
    names = Counter(str(((a.get("data") or {}).get("card") or {}).get("name")) for a in ops_creates)
    problems = [f"idea {t!r}: {names[t]} cards" for t in typed if names[t] != 1]
    rows = _idea_rows(snapshot)
    problems += [f"row {n} ({title!r}): no card" for n, title, card in rows if not card]
    shared = Counter(card for _, _, card in rows if card)
    problems += [f"card {card} on {k} rows" for card, k in shared.items() if k > 1]
    if len(ops_creates) != len(rows):
        problems.append(f"{len(ops_creates)} cards created for {len(rows)} idea rows")
    return problems
