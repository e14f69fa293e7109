"""The planner driven the way the engine tests drive it: a board's JSON and an in-memory sheet."""

from __future__ import annotations

from typing import Any

from app.core.decode import board_from_json
from app.core.engine import plan
from app.core.mapping import board_rows
from app.core.model import Base, Policy
from tests.support.boardjson import board, policy
from tests.support.memsheet import MemSheet, sync

__all__ = ["plan_of", "synced"]


def plan_of(base: Base | None, board_json: dict[str, Any], sheet: MemSheet, pol: Policy | None = None) -> Any:
    """The plan of one run over `board_json` and `sheet` (the default policy unless `pol`)."""
    pol = pol or policy()
    return plan(base, board_rows(board_from_json(board_json), pol), sheet.tab(), pol)


def synced(cards: list[dict[str, Any]], notes: bool = True) -> tuple[MemSheet, Base, dict[str, Any]]:
    """A sheet with a free "Notes" column first, synced once with these cards."""
    sheet = MemSheet(header=["Notes"] if notes else [])
    data = board(cards)
    result = sync(sheet, data, None, policy())
    return sheet, result.base, data
