"""The views inside a run: which tabs the run's one read brings whole, and their requests for the batch.

Views are rendered from the same board read as the list tab and written in the same batchUpdate, so a
pair with views still costs 1 Trello read, at most 1 Sheets read and at most 1 Sheets write per run.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from app.config.models import Pair
from app.config.policy import month_spec
from app.core.model import Board, Policy
from app.core.views.month import month_grid
from app.core.views.sheet import grid_requests, view_tab
from connectors.sheets.client import TabSnapshot

Request = dict[str, Any]


def whole_reads(spec: Pair) -> list[str]:
    """The view tabs the run's read brings entirely (cells, formats, sizes)."""
    return [view.tab for view in spec.views]


def needs_formats(spec: Pair) -> bool:
    """Whether the run must read formats: views compare theirs, and the list tab's looks need theirs."""
    sheet = spec.sheet
    return (
        bool(spec.views)
        or sheet.link is not None
        or sheet.colour_by is not None
        or sheet.key_column == "hidden"
    )


def views_requests(
    spec: Pair, snapshot: TabSnapshot, board: Board, policy: Policy, now: datetime
) -> list[Request]:
    """Every view's requests: a missing view tab is added, an existing one gets only what differs."""
    today = now.astimezone(ZoneInfo(spec.timezone)).date()
    requests: list[Request] = []
    for view in spec.views:
        grid = month_grid(board, policy, month_spec(spec, view), today)
        existing = snapshot.others.get(view.tab)
        current = None if existing is None else view_tab(existing)
        # Random, not derived from the title, for the reason changes_tab_requests gives.
        new_id = secrets.randbelow(0x7FFFFFFE) + 1
        # Protections (issue 11) will pass the service account here: protect_for=[...].
        requests += grid_requests(grid, current, title=view.tab, new_id=new_id, protect_for=None)
    return requests
