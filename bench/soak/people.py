"""The people of a soak: the team on Trello (app.cli.teammates, with churn), stakeholders typing in the
two-way columns (app.cli.stakeholder), one writing notes and formulas in free columns, and a committee
member typing ideas into the Ideas tab (bench/soak/ideas.py).
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests

from app.cli.stakeholder import Stakeholder
from app.cli.teammates import Teammates
from bench.soak.ideas import COMMITTEE, IdeaTyper
from bench.soak.settings import NOTE_TAKER, STAKEHOLDERS, TEAM, SoakSettings
from bench.soak.world import TAB, World
from connectors.errors import ConnectorError
from connectors.sheets.auth import emulator_credentials
from connectors.sheets.client import SheetsConnector

log = logging.getLogger(__name__)

KEY_HEADER = "Card ID"
FREE_HEADERS = ("Notes", "Check")
FIND_ATTEMPTS = 5  # a free text column and a free formula column: never boardsheet's


def text(cell: dict[str, Any]) -> str:
    """A cell's shown text."""
    return str(cell.get("formattedValue") or "")


@dataclass
class Edits:
    """What the people did: counts, the last edit's time (monotonic) and the notes' expected rows."""

    done: dict[str, int] = field(default_factory=dict)
    failed: int = 0
    last: float = 0.0
    misplaced_by_typist: int = 0  # notes typed on a row that moved between the typist's read and write
    notes: dict[str, tuple[str, str]] = field(default_factory=dict)  # card id -> (note, formula)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, who: str) -> Callable[[str], None]:
        """A `say` callback counting `who`'s successful edits."""

        def say(_line: str) -> None:
            with self.lock:
                self.done[who] = self.done.get(who, 0) + 1
                self.last = time.monotonic()

        return say


class NoteTaker:
    """A stakeholder writing a note and a formula on a random card's row, in the free columns."""

    def __init__(self, world: World, edits: Edits, seed: int) -> None:
        self._world, self._edits, self._random = world, edits, random.Random(seed)
        self._sheets = SheetsConnector(emulator_credentials(f"user:{NOTE_TAKER}"), api_url=world.sheets_url)
        self._count = 0

    def _column(self, sheet_id: int, headers: list[str]) -> int:
        """The first free column's index, adding both headers after the last used column when missing."""
        if all(h in headers for h in FREE_HEADERS):
            return headers.index(FREE_HEADERS[0])
        self._write(sheet_id, 0, len(headers), [{"stringValue": h} for h in FREE_HEADERS])
        return len(headers)

    def _write(self, sheet_id: int, row: int, column: int, values: list[dict[str, Any]]) -> None:
        """Type `values` into adjacent cells from (row, column), as the note taker, in one batchUpdate."""
        start = {"sheetId": sheet_id, "rowIndex": row, "columnIndex": column}
        cells = [{"userEnteredValue": v} for v in values]
        body = {"updateCells": {"start": start, "rows": [{"values": cells}], "fields": "userEnteredValue"}}
        self._sheets.batch_update(self._world.seeded.spreadsheet_id, [body])

    def _read(self) -> Any:
        return self._sheets.read_tab(self._world.seeded.spreadsheet_id, TAB)

    def step(self) -> str | None:
        """Write one note and formula; note where it landed (the typist's row may have moved)."""
        snapshot = self._read()
        rows, sheet_id = snapshot.rows, int(snapshot.sheet_id)
        headers = [text(c) for c in rows[0]] if rows else []
        if KEY_HEADER not in headers or len(rows) < 2:
            return None
        notes = self._column(sheet_id, headers)
        key = headers.index(KEY_HEADER)
        row = self._random.randrange(1, len(rows))
        intended = text(rows[row][key]) if len(rows[row]) > key else ""
        if not intended:
            return None
        self._count += 1
        note = f"note {self._count} by {NOTE_TAKER.split('@')[0]}"
        formula = f'="check {self._count}"'
        self._write(sheet_id, row, notes, [{"stringValue": note}, {"formulaValue": formula}])
        landed = self._find(note, notes, key)
        with self._edits.lock:
            if landed != intended:
                self._edits.misplaced_by_typist += 1
            if landed:
                self._edits.notes[landed] = (note, formula)
        return note

    def _find(self, note: str, column: int, key: int) -> str:
        """The key of the row holding `note` now ('' when no row has it). Read until a read succeeds: a
        written note left unrecorded would make the card's earlier note look lost."""
        for attempt in range(FIND_ATTEMPTS):
            try:
                snapshot = self._read()
                break
            except ConnectorError:
                if attempt + 1 == FIND_ATTEMPTS:
                    raise
        for cells in snapshot.rows[1:]:
            if len(cells) > max(column, key) and text(cells[column]) == note:
                return text(cells[key])
        return ""


class Looper:
    """Calls `step` every `interval` seconds in a daemon thread until stopped; failures are counted."""

    def __init__(self, name: str, step: Callable[[], str | None], interval: float, edits: Edits) -> None:
        self._step, self._interval, self._edits, self._name = step, interval, edits, name
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)

    def start(self) -> None:
        """Start the thread."""
        self._thread.start()

    def stop(self) -> None:
        """Stop after the current step."""
        self._stop.set()
        self._thread.join(timeout=60)

    def _loop(self) -> None:
        say = self._edits.note(self._name)
        while not self._stop.wait(self._interval):
            try:
                done = self._step()
            except (ConnectorError, requests.RequestException) as exc:  # faults outlast the retries
                log.info("%s: an edit failed: %s", self._name, exc)
                with self._edits.lock:
                    self._edits.failed += 1
                continue
            if done:
                say(done)


@dataclass
class People:
    """Everyone editing during the burst."""

    team: list[Teammates]
    stakeholders: list[Stakeholder]
    loopers: list[Looper]
    ideas: IdeaTyper

    def start(self) -> None:
        """Everyone starts editing."""
        for teammate in self.team:
            teammate.start()
        for stakeholder in self.stakeholders:
            stakeholder.start()
        for looper in self.loopers:
            looper.start()

    def stop(self) -> None:
        """Everyone stops (each after their current edit)."""
        for teammate in self.team:
            teammate.stop()
        for stakeholder in self.stakeholders:
            stakeholder.stop()
        for looper in self.loopers:
            looper.stop()


def people(world: World, settings: SoakSettings, edits: Edits, seed: int) -> People:
    """The team, the two-way stakeholders, the note taker and the committee typing ideas."""
    seeded = world.seeded
    # Each teammate in their own thread with their own token, as people edit at the same time.
    team = [
        Teammates(
            world.trello_url,
            seeded.board_id,
            tokens=[token],
            interval=settings.team_interval,
            seed=seed + 100 + n,
            say=edits.note("team"),
            churn=True,
        )
        for n, (token, _, _) in enumerate(TEAM[: settings.team])
    ]
    stakeholders = [
        Stakeholder(
            world.sheets_url,
            seeded.spreadsheet_id,
            TAB,
            email=email,
            interval=settings.stakeholder_interval,
            seed=seed + n,
            say=edits.note("two-way"),
        )
        for n, email in enumerate(STAKEHOLDERS, start=1)
    ]
    for email in (NOTE_TAKER, COMMITTEE):
        Stakeholder(world.sheets_url, seeded.spreadsheet_id, TAB, email=email).share()
    notes, ideas = NoteTaker(world, edits, seed), IdeaTyper(world, seed)
    loopers = [
        Looper("notes", notes.step, settings.note_interval, edits),
        Looper("ideas", ideas.step, settings.idea_interval, edits),
    ]
    return People(team, stakeholders, loopers, ideas)
