"""A run's two reads, the board and the pair's tab, and both sides decoded as the planner takes them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.config.checks import check_against_board
from app.config.models import Config, Pair
from app.config.policy import policy_of
from app.core.applied import board_with_writes
from app.core.changes import OptionNames, option_texts
from app.core.decode import board_from_json
from app.core.engine import layout
from app.core.mapping import board_rows
from app.core.model import Base, Board, BoardRows, Policy, SheetTab
from app.core.plan import TrelloWrite
from app.core.records import PairSources
from app.core.views.list_line import Top
from app.errors import ConfigError
from app.runtime.action_log import read_board_logging
from app.runtime.changelog import ChangesTabs
from app.runtime.snapshots import Retention, keep_snapshot
from app.runtime.tab_reader import TabRead, read_pair_tab, remember
from app.runtime.views import list_top, needs_formats, whole_reads
from app.store.store import Store
from connectors.sheets.client import SheetsConnector
from connectors.sheets.tab_snapshot import TabSnapshot
from connectors.trello.client import TrelloConnector

__all__ = ["PairReads", "Sides", "both_sides"]


class PairReads:
    """Reads both sides of a pair for a run, and keeps the tab each run read once the run is done."""

    def __init__(
        self,
        trello: TrelloConnector,
        store: Store,
        sheets_for: Callable[[str], SheetsConnector],
        *,
        option_names: OptionNames,
        changes_tabs: ChangesTabs,
        retention: Retention,
    ) -> None:
        """`sheets_for(pair)` is the connector of the service account that reaches the pair's sheet."""
        self.trello, self.store, self._sheets_for = trello, store, sheets_for
        self.option_names, self.changes_tabs, self.retention = option_names, changes_tabs, retention
        self._tabs: dict[str, TabRead] = {}  # each pair's tab as its current run read it

    def board(self, config: Config, spec: Pair, *, log_at: datetime | None) -> dict[str, Any]:
        """The board's nested read, its new actions logged at `log_at` (a run's read; None: logs nothing)."""
        if log_at is not None:
            board_json = read_board_logging(self.trello, self.store, config, spec, log_at)
        else:
            board_json = self.trello.board_snapshot(spec.trello.board)
        self.option_names.learn(board_json)
        # The YAML may name lists, labels or custom fields the board no longer has: say so, write nothing.
        problems = check_against_board(spec, board_json)
        if problems:
            raise ConfigError(problems)
        return board_json

    def tab(self, spec: Pair, *, create_tab: bool) -> tuple[TabSnapshot, bool]:
        """The tab's snapshot (peeking at the Changes tab) and whether --create-tab added the tab first.

        The tab is followed by sheet id across renames (tab_reader.py); a name that is a near miss of
        an existing tab is refused (ConfigError), never created.
        """
        also = self.changes_tabs.also_read(spec)
        read = read_pair_tab(
            self._sheets_for(spec.name),
            self.store,
            spec,
            also=also,
            whole=whole_reads(spec),
            formats=needs_formats(spec),
            create_tab=create_tab,
        )
        self.changes_tabs.learn(spec, read.snapshot)
        self._tabs[spec.name] = read  # saved by a run, never by a preview alone
        return read.snapshot, read.created

    def remember(self, pair: str) -> None:
        """Save the tab this run read (by sheet id), so a rename is followed by the next runs too, and a
        snapshot of its values when they changed (for `boardsheet restore`)."""
        read = self._tabs.pop(pair, None)
        if read is not None:
            remember(self.store, pair, read)
            keep_snapshot(self.store, pair, read.snapshot, self.retention)


@dataclass(frozen=True)
class Sides:
    """Both sides of a pair as one run read them, decoded: the board's rows, the tab from its header down."""

    spec: Pair
    board_json: dict[str, Any]
    board: Board
    policy: Policy
    rows: BoardRows
    top: Top  # where the list tab's header and freshness line are, as read
    snapshot: TabSnapshot  # the list tab from its header down: the planner's row 0 is the header
    tab: SheetTab
    columns: dict[str, int]  # owned column header -> its index in the tab
    base: Base | None
    created: bool  # --create-tab added the tab before this read

    @property
    def names(self) -> dict[int, str]:
        """Owned column index -> header, to show cell changes."""
        return {column: header for header, column in self.columns.items()}

    @property
    def key_column(self) -> int:
        """The key column's index in the tab."""
        return self.columns[self.policy.key_header]

    def shown(self, writes: tuple[TrelloWrite, ...]) -> Board:
        """The board as the batch draws it: with the run's own Trello writes, so their echo writes nothing."""
        return board_from_json(board_with_writes(self.board_json, writes)) if writes else self.board

    def sources(self) -> PairSources:
        """The board's and spreadsheet's names and links, and the list-field option names."""
        return PairSources(
            str(self.board_json.get("name") or ""),
            str(self.board_json.get("url") or ""),
            self.snapshot.spreadsheet_title,
            self.snapshot.spreadsheet_url,
            option_texts(self.board_json),
        )


def both_sides(
    spec: Pair,
    board_json: dict[str, Any],
    snapshot: TabSnapshot,
    base: Base | None,
    *,
    created: bool,
    allow_mass_delete: bool,
) -> Sides:
    """Both reads decoded under the pair's policy; the list tab's header may be below our line."""
    board = board_from_json(board_json)
    policy = policy_of(spec, allow_mass_delete=allow_mass_delete)
    rows = board_rows(board, policy)
    top, below, tab = list_top(spec, snapshot, policy)
    columns = layout(tab, policy.owned_columns())[0]
    return Sides(spec, board_json, board, policy, rows, top, below, tab, columns, base, created)
