"""Admin endpoints: sync a pair now, pause or resume it, approve a held plan.

They exist only when BOARDSHEET_ADMIN_TOKEN is set (404 otherwise) and require it as a bearer token,
compared in constant time (401 otherwise). Every error uses the one JSON error shape.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from app.runtime.admin import Approval
from app.web.deps import AdminDep
from app.web.params import PairName, PlanId, plan_number

__all__ = ["admin_router", "approval_message"]

APPROVED_BY = "admin API"


def admin_router() -> APIRouter:
    """The router under /admin."""
    router = APIRouter(prefix="/admin")

    @router.post("/pairs/{pair}/sync", status_code=202)
    def sync_now(pair: PairName, admin: AdminDep) -> dict[str, Any]:
        """Request a run of `pair` now, skipping the debounce and any backoff."""
        admin.sync_now(pair)
        return {"pair": pair, "requested": True}

    @router.post("/pairs/{pair}/pause")
    def pause(pair: PairName, admin: AdminDep) -> dict[str, Any]:
        """Stop running `pair` until it is resumed."""
        admin.set_paused(pair, True, by=APPROVED_BY)
        return {"pair": pair, "paused": True}

    @router.post("/pairs/{pair}/resume")
    def resume(pair: PairName, admin: AdminDep) -> dict[str, Any]:
        """Run `pair` again; what was requested meanwhile runs next."""
        admin.set_paused(pair, False, by=APPROVED_BY)
        return {"pair": pair, "paused": False}

    @router.post("/plans/{plan_id}/approve")
    def approve(plan_id: PlanId, admin: AdminDep) -> dict[str, Any]:
        """Approve a held plan, then request a run of its pair so it is applied.

        Approving again answers `already_approved` and starts nothing; an id no plan has (or one out of
        the store's integer range) answers 404.
        """
        approval = admin.approve(plan_number(plan_id), by=APPROVED_BY)
        plan = approval.plan
        return {
            "plan": plan.id,
            "pair": plan.pair,
            "approved_at": plan.approved_at.isoformat() if plan.approved_at else None,
            "approved_by": plan.approved_by,
            "already_approved": approval.already_approved,
            "run_requested": approval.run_requested,
            "message": approval_message(approval),
        }

    return router


def approval_message(approval: Approval) -> str:
    """What an approval did, in plain words."""
    plan = approval.plan
    if approval.already_approved:
        return (
            f"plan {plan.id} of pair {plan.pair} was already approved by {plan.approved_by}; nothing started"
        )
    return f"plan {plan.id} of pair {plan.pair} approved by {plan.approved_by}; its pair runs next"
