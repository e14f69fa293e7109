"""The guards: refuse a run before any write when it could lose data."""

from __future__ import annotations

from collections.abc import Iterable

from app.core.model import Base, BoardRows, Policy
from app.core.plan import Plan
from app.errors import DuplicateKeyError, EmptySideError, MassDeleteError


def index_keys(keyed: Iterable[tuple[int, str]]) -> dict[str, int]:
    """Map each key to its data row index; raise DuplicateKeyError naming every copied key and its rows."""
    rows: dict[str, int] = {}
    copies: dict[str, list[int]] = {}
    for index, key in keyed:
        if key in rows:
            copies.setdefault(key, [rows[key] + 2]).append(index + 2)  # 1-based sheet row numbers
        else:
            rows[key] = index
    if copies:
        raise DuplicateKeyError(copies)
    return rows


def check_empty_sides(base: Base | None, board: BoardRows, sheet_keys: int) -> None:
    """Raise EmptySideError when Trello or the sheet reads back empty while the base is not."""
    if not base:
        return
    if board.card_count == 0:
        raise EmptySideError("trello", len(base))
    if sheet_keys == 0:
        raise EmptySideError("sheet", len(base))


def check_mass_delete(plan: Plan, policy: Policy, sheet_keys: int) -> None:
    """Raise MassDeleteError (carrying the plan, to hold it) when it deletes more than max_deletes."""
    limit = policy.delete_limit(sheet_keys)
    if len(plan.deletes) > limit and not policy.allow_mass_delete:
        raise MassDeleteError(len(plan.deletes), limit, [d.key for d in plan.deletes], plan)
