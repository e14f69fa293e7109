"""Held plans: the queries behind Store.hold_plan, held_plans and approve_plan."""

from __future__ import annotations

import json
from datetime import datetime

import sqlalchemy as sa

from app.core.records import HeldPlan
from app.store.tables import held_plans

__all__ = ["approve", "by_id", "clear_waiting", "held", "hold"]


def hold(connection: sa.Connection, pair: str, document: str, reason: str, now: datetime) -> int:
    """Store the pair's waiting plan: update the one already waiting (same id) or insert one; its id."""
    waiting = sa.and_(held_plans.c.pair == pair, held_plans.c.approved_at.is_(None))
    # Keeping the id lets an operator approve the plan they read, though reconciles re-hold it meanwhile.
    existing = connection.execute(
        sa.select(held_plans.c.id).where(waiting).order_by(held_plans.c.id).limit(1)
    ).scalar_one_or_none()
    values = {"created_at": now, "reason": reason, "plan": document}
    if existing is not None:
        connection.execute(sa.update(held_plans).where(held_plans.c.id == existing).values(**values))
        connection.execute(sa.delete(held_plans).where(waiting, held_plans.c.id != existing))
        return int(existing)
    key = connection.execute(sa.insert(held_plans).values(pair=pair, **values)).inserted_primary_key
    if key is None:
        raise RuntimeError("the INSERT reported no primary key")
    return int(key[0])


def held(connection: sa.Connection, pair: str | None) -> list[HeldPlan]:
    """Held plans, newest first, approved or not, of one pair or of all."""
    query = sa.select(held_plans).order_by(held_plans.c.id.desc())
    if pair is not None:
        query = query.where(held_plans.c.pair == pair)
    return [_held_plan(row) for row in connection.execute(query).mappings().all()]


def by_id(connection: sa.Connection, plan_id: int) -> HeldPlan | None:
    """The held plan with this id, approved or not; None when there is none."""
    row = connection.execute(sa.select(held_plans).where(held_plans.c.id == plan_id)).mappings().first()
    return None if row is None else _held_plan(row)


def clear_waiting(connection: sa.Connection, pair: str) -> int:
    """Drop the pair's plans still waiting for approval; how many there were."""
    waiting = sa.and_(held_plans.c.pair == pair, held_plans.c.approved_at.is_(None))
    return int(connection.execute(sa.delete(held_plans).where(waiting)).rowcount or 0)


def approve(connection: sa.Connection, plan_id: int, approved_by: str, now: datetime) -> HeldPlan | None:
    """Approve a plan unless already approved; the plan as it now stands, None when there is none."""
    connection.execute(
        sa.update(held_plans)
        .where(held_plans.c.id == plan_id, held_plans.c.approved_at.is_(None))
        .values(approved_at=now, approved_by=approved_by)
    )
    row = connection.execute(sa.select(held_plans).where(held_plans.c.id == plan_id)).mappings().first()
    return None if row is None else _held_plan(row)


def _held_plan(row: sa.RowMapping) -> HeldPlan:
    """A HeldPlan from its row (the plan column holds JSON)."""
    return HeldPlan(**{**row, "plan": json.loads(row["plan"])})
