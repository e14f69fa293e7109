"""The state machine again with two-way columns: stakeholders' edits (valid, invalid, conflicting) and
deleted rows interleave with Trello edits and runs, under both conflict policies.

After every run, Trello having applied the run's writes: both sides agree (the base machine's checks),
every typed value that is not kept is in the change log, and Trello writes happen only for accepted
edits, one cell each (no echo loops: the next plan writes nothing).
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import initialize, precondition, rule

from app.core.decode import board_from_json
from app.core.merge import same, value_text
from app.core.model import Column
from app.core.plan import Plan
from app.core.sheet_values import Accepted, read_cell
from tests.support.boardjson import board, policy
from tests.support.sync_machine import SyncMachine

COLUMNS = (
    Column("Date", "due", True),
    Column("Title", "name", True),
    Column("Status", "list", True),
    Column("Channel", "custom:Channel", True),
    Column("Budget", "custom:Budget", True),
    Column("Ready", "custom:Ready"),
    Column("Labels", "labels", True),
    Column("Link", "url"),
)
FIELDS = {c.header: c.field for c in COLUMNS}
VOCABULARY = board_from_json(board([])).vocabulary  # lists, labels and options never change here


def _s(text: str) -> dict[str, Any]:
    return {"userEnteredValue": {"stringValue": text}}


def _n(number: float) -> dict[str, Any]:
    return {"userEnteredValue": {"numberValue": number}}


TYPED = {
    "Date": st.sampled_from([_s("2026-05-01"), _s("2026-05-01 10:30"), _n(46143.0), _s("tomorrow"), {}]),
    "Title": st.one_of(st.text(max_size=6).map(_s), st.just(_n(7.0)), st.just({})),
    "Status": st.sampled_from([_s("Drafting"), _s("review"), _s("Scheduled"), _s("Nowhere"), {}]),
    "Channel": st.sampled_from([_s("Blog"), _s("newsletter"), _s("Podcast"), {}]),
    "Budget": st.sampled_from([_n(12.0), _s("3.5"), _s("lots"), {}]),
    "Labels": st.sampled_from([_s("Urgent"), _s("video, urgent"), _s("Nope"), {}]),
}


def _apply(raw: dict[str, Any], put: dict[str, Any], custom: tuple[Any, ...]) -> None:
    """What Trello does with a PUT /1/cards/{id} and custom-field item writes."""
    for key, value in put.items():
        raw[key] = ([i for i in value.split(",") if i]) if key in ("idLabels", "idMembers") else value
    for item in custom:
        raw["customFieldItems"] = [i for i in raw["customFieldItems"] if i["idCustomField"] != item.field_id]
        if item.id_value:
            raw["customFieldItems"].append({"idCustomField": item.field_id, "idValue": item.id_value})
        elif item.value is not None:
            raw["customFieldItems"].append({"idCustomField": item.field_id, "value": item.value})


class TwoWayMachine(SyncMachine):
    """Stakeholders also edit two-way cells; Trello applies what each run writes."""

    policy = policy(columns=COLUMNS, max_deletes=10**6, conflicts="trello")

    def __init__(self) -> None:
        super().__init__()
        self.typed: dict[tuple[str, str], Any] = {}  # (card, header) -> the value typed since the last run
        self.rows_deleted: set[str] = set()
        self.log: list[Any] = []
        self.planned_from: dict[str, Any] | None = None

    @initialize(names=st.lists(st.text(min_size=1, max_size=5), min_size=2, max_size=4))
    def synced_board(self, names: list[str]) -> None:
        """Start from a few cards already synced, so edits have rows to land in."""
        for name in names:
            self.create_card(name, None, "l1")
        self.run_sync()

    @precondition(lambda self: self.copied is None)
    @rule(data=st.data(), edits=st.lists(st.sampled_from(sorted(TYPED)), min_size=1, max_size=4))
    def edit_two_way_cells(self, data: st.DataObject, edits: list[str]) -> None:
        rows = self._keyed_rows()
        for header in edits:
            if not rows or header not in self.sheet.tab().headers:
                return
            row = data.draw(st.sampled_from(sorted(rows)))
            self.sheet.set(row, self._column(header), data.draw(TYPED[header]))
            self.typed[(rows[row], header)] = self.sheet.value(row, self._column(header))

    @precondition(lambda self: self.copied is None)
    @rule(data=st.data())
    def delete_row(self, data: st.DataObject) -> None:
        before = set(self._keyed_rows().values())
        super().delete_row(data)
        self.rows_deleted |= before - set(self._keyed_rows().values())

    def _applied(self, result: Plan, data: dict[str, Any]) -> dict[str, Any]:
        """Trello applies the writes; check them and the log against what was typed."""
        edits = [e for e in result.events if e.kind == "edit"]
        assert sum(len(w.base) for w in result.trello) == len(edits)  # one cell write per accepted edit
        headers = {c.field: c.header for c in COLUMNS}
        for event in edits:
            assert (event.key, headers[event.field]) in self.typed  # writes come only from typed cells
        for write in result.trello:
            _apply(self.cards[write.key], write.put, write.custom)
        self.log.extend(result.events)
        self._check_nothing_lost(result)
        self.typed.clear()
        self.rows_deleted.clear()
        return board(list(self.cards.values()))

    def _check_nothing_lost(self, result: Plan) -> None:
        """A typed value is kept (the cell reads as it) or the change log holds it."""
        tab = self.sheet.tab()
        rows = {key: row for row, key in self._keyed_rows().items()}
        logged = {(e.key, e.field, e.after) for e in result.events if e.kind in ("rejected", "overridden")}
        logged |= {(e.key, e.field, e.before) for e in result.events if e.kind == "overridden"}
        restored = {e.key for e in result.events if e.kind == "restored"}
        assert self.planned_from is None or self.rows_deleted & set(result.base) <= restored
        for (key, header), typed in self.typed.items():
            base_row = (self.planned_from or {}).get(key)
            if key not in rows or key in self.rows_deleted or base_row is None or header not in tab.headers:
                continue  # the card or its row went away, or the base was lost: Trello's value shows
            if same(typed, base_row.get(header)):
                continue  # typed back the synced value: no edit at all
            field = FIELDS[header]
            shown = self.sheet.value(rows[key], tab.headers.index(header))
            reading = read_cell(field, typed, VOCABULARY, self.policy.timezone)
            kept = isinstance(reading, Accepted) and same(shown, reading.cell.value)
            text = value_text(field, typed, VOCABULARY, self.policy.timezone)
            assert kept or (key, field, text) in logged, (key, header, typed, shown)


class SheetWinsMachine(TwoWayMachine):
    """The same under `conflicts: sheet`."""

    policy = policy(columns=COLUMNS, max_deletes=10**6, conflicts="sheet")


_SETTINGS = settings(
    max_examples=settings().max_examples,  # the profile's (tests/conftest.py): 150 in full
    stateful_step_count=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TwoWayMachine.TestCase.settings = _SETTINGS
SheetWinsMachine.TestCase.settings = _SETTINGS
TestTwoWayMachine = TwoWayMachine.TestCase
TestSheetWinsMachine = SheetWinsMachine.TestCase
