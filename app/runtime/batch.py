"""The run's one batchUpdate: looks, the rows under their row guard, Changes tab, protections, lines last."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.core.changes import OptionNames
from app.core.model import Board
from app.core.plan import Plan
from app.core.render import render
from app.runtime.changelog import changes_tab_id, changes_tab_requests
from app.runtime.guarded import guarded
from app.runtime.sheet_guard import GuardPlan, SheetGuard, intake_tabs
from app.runtime.sides import Sides
from app.runtime.views import Looks, looks_requests
from app.store.store import PendingChange
from connectors.sheets.client import SheetsConnector

__all__ = ["Batch", "sheet_batch"]

Request = dict[str, Any]


@dataclass(frozen=True)
class Batch:
    """The requests of the run's one batchUpdate, the plan they write, and what people read of them."""

    requests: list[Request]
    plan: Plan  # removals of rows without an anchor held back (guarded.py)
    row_checks: int  # rows whose position the write checks (app.core.anchors)
    waiting: int  # removals left to the next run: their rows had no anchor yet
    looks: Looks
    line_requests: int  # requests writing (or removing) the freshness lines
    guard: GuardPlan


def sheet_batch(
    sides: Sides,
    planned: Plan,
    shown: Board,
    log_rows: list[PendingChange],
    *,
    now: datetime,
    instant: bool,
    option_names: OptionNames,
    guard: SheetGuard,
    sheets: SheetsConnector,
) -> Batch:
    """The batch applying `planned` to the tab, the looks drawn from the board as `shown`."""
    spec, snapshot, tab = sides.spec, sides.snapshot, sides.tab
    looks = looks_requests(spec, snapshot, tab, shown, sides.policy, now, sides.top, instant=instant)
    rows_guard = guarded(planned, snapshot, tab, sides.key_column, sides.base)
    plan, row_guard, waiting = rows_guard.plan, rows_guard.guard, rows_guard.waiting
    requests = looks.before + render(plan, row_guard.appended)
    requests += changes_tab_requests(spec, snapshot, log_rows, option_names) + looks.after
    shield = guard.plan(
        spec, snapshot, tab, shown, plan.base, sides.policy,
        service=sheets.identity, view_ids=looks.view_ids, before=requests,
        editable_tabs=intake_tabs(spec, snapshot),
        log_tab=changes_tab_id(spec, snapshot, requests),
        elsewhere=lambda: sheets.protected_ranges(spec.sheet.spreadsheet),
    )  # fmt: skip
    requests += shield.requests
    freshness = looks.freshness_for(bool(requests))  # last: the list tab's line may insert its row
    # Anchors ride along with a write, or prepare a removal's; strays of our line are deleted anyway.
    if requests or waiting or freshness or looks.first:
        requests = looks.placed(row_guard.before + requests) + freshness
    line_requests = len(looks.first) + len(freshness)
    return Batch(requests, plan, row_guard.checks, waiting, looks, line_requests, shield)
