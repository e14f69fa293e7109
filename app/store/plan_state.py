"""Held plans in the Store: a plan waiting for approval, its approval, and whether a run has spent it.

A mixin of `Store` (kept apart so each module stays small); it uses the Store's engine, clock, error
translation and JSON.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from app.core.records import HeldPlan
from app.errors import UnknownPlanError
from app.store import plans
from app.store.parts import StoreParts
from app.store.tables import runs

__all__ = ["HeldPlansMixin"]

# Ids are the schema's INTEGER: anything outside names no plan (and would overflow the driver).
MAX_ID = 2**31 - 1


class HeldPlansMixin(StoreParts):
    """Plans held for approval, approved by id (see Store)."""

    def hold_plan(self, pair: str, plan: dict[str, Any], reason: str) -> int:
        """Hold `plan` for approval; the pair's plan still waiting is updated in place and keeps its id."""
        with self._translated(f"hold a plan of pair {pair!r}"), self._engine.begin() as connection:
            return plans.hold(connection, pair, self._dumps(plan), reason, self._clock())

    def held_plans(self, pair: str | None = None) -> list[HeldPlan]:
        """Held plans, newest first, approved or not, of one pair or of all."""
        with self._translated("read the held plans"), self._engine.begin() as connection:
            return plans.held(connection, pair)

    def held_plan(self, plan_id: int) -> HeldPlan:
        """One held plan by id; UnknownPlanError when none has it (out-of-range ids included)."""
        if not 1 <= plan_id <= MAX_ID:
            raise UnknownPlanError(plan_id)
        with self._translated(f"read held plan {plan_id}"), self._engine.begin() as connection:
            found = plans.by_id(connection, plan_id)
        if found is None:
            raise UnknownPlanError(plan_id)
        return found

    def approve_plan(self, plan_id: int, approved_by: str) -> HeldPlan:
        """Approve a held plan (approving twice keeps the first approval); UnknownPlanError if none."""
        if not 1 <= plan_id <= MAX_ID:
            raise UnknownPlanError(plan_id)
        with self._translated(f"approve held plan {plan_id}"), self._engine.begin() as connection:
            approved = plans.approve(connection, plan_id, approved_by, self._clock())
        if approved is None:
            raise UnknownPlanError(plan_id)
        return approved

    def deleted_rows_since(self, pair: str, when: datetime) -> bool:
        """Whether a run of the pair that started at or after `when` removed rows (spends an approval)."""
        query = sa.select(runs.c.id).where(
            runs.c.pair == pair, runs.c.started_at >= when, runs.c.rows_removed > 0
        )
        with self._translated("read the run history"), self._engine.begin() as connection:
            return connection.execute(query.limit(1)).first() is not None
