"""The guard that holds destructive plans: a mass delete waits, with its rows, until someone approves it."""

from __future__ import annotations

from app.config.policy import policy_of
from app.core.engine import plan as make_plan
from app.core.explain import PlanFacts
from app.core.plan import Plan
from app.core.records import HeldPlan
from app.errors import MassDeleteError
from app.runtime.approval import approved_plan
from app.runtime.preview import held_rows
from app.runtime.sides import Sides
from app.store.store import Store

__all__ = ["hold", "plan_or_hold"]


def plan_or_hold(store: Store, sides: Sides, facts: PlanFacts) -> tuple[Plan, HeldPlan | None]:
    """The rows' plan and the approved held plan letting it delete; MassDeleteError (with its rows) else."""
    try:
        return make_plan(sides.base, sides.rows, sides.tab, sides.policy), None
    except MassDeleteError as exc:
        approved = approved_plan(store, sides.spec.name, exc.keys)
        if approved is None:
            rows_shown = held_rows(exc.plan, sides.snapshot, facts, list(sides.names))
            raise MassDeleteError(exc.deletes, exc.limit, exc.keys, exc.plan, rows_shown) from None
        allowed = policy_of(sides.spec, allow_mass_delete=True)
        return make_plan(sides.base, sides.rows, sides.tab, allowed), approved


def hold(store: Store, pair: str, refused: MassDeleteError) -> str:
    """Hold a refused mass delete as a plan for people to approve; the run's message."""
    # The rows it would delete (title, list, free cells) travel with it, for people to judge.
    document = {**refused.plan.to_json(), "rows": list(refused.rows)}
    plan_id = store.hold_plan(pair, document, str(refused))
    return f"{refused} (held as plan {plan_id})"
