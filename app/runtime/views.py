"""The views inside a run: which tabs the run's one read brings whole, and their requests for the batch.

Views are rendered from the same board read as the list tab and written in the same batchUpdate, so a
pair with views still costs 1 Trello read, at most 1 Sheets read and at most 1 Sheets write per run.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from app.config.models import Pair
from app.config.policy import month_spec
from app.core.decode import tab_from_snapshot
from app.core.engine import layout
from app.core.model import Board, Policy, SheetTab
from app.core.views.cards import colours
from app.core.views.cells import EMPTY
from app.core.views.freshness import Freshness, due, freshness_cell, freshness_request
from app.core.views.list_line import (
    Top,
    below_top,
    find_top,
    line_due,
    line_requests,
    shifted,
    stray_requests,
    without_strays,
)
from app.core.views.list_tab import colour_rule_requests, hide_key_column, title_link_requests, wanted_rules
from app.core.views.month import FRESHNESS_CELL, month_grid
from app.core.views.sheet import ViewTab, grid_requests, view_tab
from connectors.sheets.tab_snapshot import TabSnapshot

Request = dict[str, Any]


@dataclass(frozen=True)
class Looks:
    """Requests for how stakeholders see the pair: `before` the plan's (rows as read), `after` it."""

    before: list[Request]
    after: list[Request]
    view_requests: int
    freshness: list[Request]  # the freshness lines (views', list tab's): sent when writing anyway, or due
    freshness_due: bool
    top: Top | None = None  # the list tab above its data as read (its header row, its freshness line)
    view_ids: dict[str, int] = field(default_factory=dict)  # each view tab's sheet id (new ones too)
    line_words: str = "freshness line refreshed"  # what the freshness requests do, said by the run

    def freshness_for(self, writing: bool) -> list[Request]:
        """The freshness requests a run sends, given whether it writes anything else."""
        return self.freshness if writing or self.freshness_due else []

    @property
    def first(self) -> list[Request]:
        """What goes first in the batch: deleting rows of ours found below the list tab's header."""
        return [] if self.top is None else stray_requests(self.top)

    def placed(self, requests: list[Request]) -> list[Request]:
        """The plan's requests (rows as the planner saw them) moved to the list tab's grid rows, after
        the strays' deletions (the planner never saw those rows)."""
        top = self.top
        return requests if top is None else self.first + shifted(requests, top.sheet_id, top.header)


def list_top(spec: Pair, snapshot: TabSnapshot, policy: Policy) -> tuple[Top, TabSnapshot, SheetTab]:
    """Where the list tab's header and freshness line are, and the tab from its header down (the
    planner's view: its row 0 is the header)."""
    top = find_top(snapshot, policy.owned_columns(), spec.sheet.freshness)
    below = below_top(without_strays(snapshot, top), top)
    return top, below, tab_from_snapshot(below)


def looks_requests(
    spec: Pair,
    snapshot: TabSnapshot,
    tab: SheetTab,
    board: Board,
    policy: Policy,
    now: datetime,
    top: Top | None = None,
    *,
    instant: bool = False,
) -> Looks:
    """The list tab's looks (links, hidden key, colours, its freshness line) and every view's requests."""
    before, after = list_tab_requests(spec, snapshot, tab, board, policy)
    views: list[Request] = []
    fresh: list[Request] = []
    stale = False
    ids: dict[str, int] = {}
    line = Freshness(board.name, spec.timezone, now, spec.reconcile_every, instant=instant)
    for view in spec.views:
        existing = snapshot.others.get(view.tab)
        current = None if existing is None else view_tab(existing)
        # Random, not derived from the title, for the reason changes_tab_requests gives.
        sheet_id = current.sheet_id if current is not None else secrets.randbelow(0x7FFFFFFE) + 1
        grid = month_grid(
            board, policy, month_spec(spec, view), now.astimezone(ZoneInfo(spec.timezone)).date()
        )
        ids[view.tab] = sheet_id  # its protection is planned with the pair's (runtime/sheet_guard.py)
        views += grid_requests(grid, current, title=view.tab, new_id=sheet_id, protect_for=None)
        fresh.append(freshness_request(sheet_id, freshness_cell(line, now)))
        stale = stale or current is None or due(_line(current), now, spec.freshness_every)
    words = f"{'freshness lines' if len(spec.views) > 1 else 'freshness line'} refreshed"
    if top is not None:
        on = spec.sheet.freshness
        fresh += line_requests(top, freshness_cell(line, now) if on else None)
        stale = stale or line_due(top, now, spec.freshness_every, on)
        if on and spec.views:
            words = "freshness lines refreshed"
        elif not on and not spec.views:
            words = "freshness line removed"
    return Looks(before, after + views, len(views), fresh, stale, top, ids, words)


def _line(tab: ViewTab) -> Any:
    """The freshness line's cell as read."""
    return tab.cells.get(FRESHNESS_CELL, EMPTY)


def list_tab_requests(
    spec: Pair, snapshot: TabSnapshot, tab: SheetTab, board: Board, policy: Policy
) -> tuple[list[Request], list[Request]]:
    """`link: title` repairs (on rows as read), then the hidden key column and the colour rules."""
    index = layout(tab, policy.owned_columns())[0]
    fields = {column.field: index[column.header] for column in policy.owned_columns()}
    before: list[Request] = []
    after: list[Request] = []
    if spec.sheet.link == "title" and "name" in fields:
        links = {card.id: card.url for card in board.cards if card.url}
        before = title_link_requests(
            tab.sheet_id, snapshot.rows, fields["name"], index[policy.key_header], links
        )
    if spec.sheet.key_column == "hidden":
        after += hide_key_column(tab.sheet_id, index[policy.key_header], snapshot.column_properties)
    source = spec.sheet.colour_by
    if source is not None and source in fields:
        rules = wanted_rules(fields[source], colours(board, source), source)
        after += colour_rule_requests(tab.sheet_id, rules, snapshot.conditional_formats)
    return before, after


def whole_reads(spec: Pair) -> list[str]:
    """The view and intake tabs the run's read brings entirely (cells, formats, sizes)."""
    intake = [spec.intake.tab] if spec.intake is not None else []  # the Ideas tab: same read, its notes
    return [view.tab for view in spec.views] + intake


def feed_source(spec: Pair) -> str:
    """The date that places cards in the calendar feed: the first month view's, else due."""
    return spec.views[0].date if spec.views else "due"


def needs_formats(spec: Pair) -> bool:
    """Whether the run must read formats: views compare theirs, and the list tab's looks need theirs."""
    sheet = spec.sheet
    return (
        bool(spec.views)
        or spec.intake is not None
        or sheet.freshness
        or spec.approval is not None  # its rule is compared with the tab's conditional formats
        or sheet.link is not None
        or sheet.colour_by is not None
        or sheet.key_column == "hidden"
    )
