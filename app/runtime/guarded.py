"""The write's row guard, in the shell: plan the anchors and checks, and tell a race from a bad request.

See app/core/anchors.py and docs/concurrency.md for the Google behaviour this relies on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.core.anchors import RowGuard, anchors_of, hold_unanchored_deletes, row_guard
from app.core.model import Base, SheetTab
from app.core.plan import Plan
from app.errors import RowsMoved
from connectors.errors import BadResponse
from connectors.sheets.client import SheetsConnector


@dataclass(frozen=True)
class Guarded:
    """The plan as it may be written (removals of unanchored rows held back), its guard, what waits."""

    plan: Plan
    guard: RowGuard
    waiting: int  # removals left to the next run


def guarded(planned: Plan, snapshot: Any, tab: SheetTab, key_column: int, base: Base | None) -> Guarded:
    """The plan with removals of unanchored rows held back, and the requests that guard its write."""
    anchors = anchors_of(snapshot.row_metadata)
    plan = hold_unanchored_deletes(planned, tab, key_column, anchors, base)
    return Guarded(plan, row_guard(tab, key_column, anchors, plan), len(planned.deletes) - len(plan.deletes))


def write(
    sheets: SheetsConnector, pair: str, spreadsheet_id: str, requests: list[dict[str, Any]], checks: int
) -> None:
    """The run's one batchUpdate; RowsMoved (nothing written) when Google refused a write that checks rows.

    The refusal of the check has no documented wording, so any 400 to a checked write may be it.
    """
    try:
        sheets.batch_update(spreadsheet_id, requests)
    except BadResponse as exc:
        if exc.status == 400 and checks:
            raise RowsMoved(pair) from exc
        raise
