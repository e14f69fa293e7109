"""The operator's actions on pairs: sync now, pause, resume, approve a held plan.

The admin API and the `boardsheet pause|resume|approve` commands call these. Every replica follows them
because the pause flag and approvals live in the shared store; the CLI has no coordinators (nothing runs
in its process), so the service's coordinators pick its pauses and approvals up from the store.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from app.config.fields import nearest
from app.core.records import HeldPlan
from app.errors import UnknownPairError
from app.runtime.coordinators import CoordinatorGroup
from app.store.store import Store

__all__ = ["AdminActions", "Approval"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Approval:
    """The answer to an approval: the plan as it now stands, and what the approval did."""

    plan: HeldPlan
    already_approved: bool  # someone approved it before: nothing was changed or started
    run_requested: bool  # a run of its pair was asked of this process's coordinator


@dataclass(frozen=True)
class AdminActions:
    """Operator actions; each raises UnknownPairError for a pair that is not configured."""

    store: Store
    pairs: Sequence[str]
    coordinators: CoordinatorGroup | None = None  # None in the CLI

    def _known(self, pair: str) -> None:
        if pair not in self.pairs:
            raise UnknownPairError(pair, list(self.pairs), nearest(pair, self.pairs))

    def sync_now(self, pair: str) -> bool:
        """Request a run of `pair` now, skipping the debounce and any backoff; False without coordinators."""
        self._known(pair)
        return self.coordinators is not None and self.coordinators.request(pair, "admin", force=True)

    def set_paused(self, pair: str, paused: bool, by: str, reason: str | None = None) -> None:
        """Persist the pause flag with who and why (every replica follows it), then tell the coordinator."""
        self._known(pair)
        self.store.set_paused(pair, paused, by=by, reason=reason)
        if self.coordinators is not None:
            coordinator = self.coordinators.get(pair)
            if paused:
                coordinator.pause()
            else:
                coordinator.resume()
        why = f" ({reason})" if reason else ""
        verb = "paused" if paused else "resumed"
        log.info("pair %s %s by %s%s", pair, verb, by, why, extra={"pair": pair})

    def pause_all(self, by: str, reason: str | None = None) -> list[str]:
        """The kill switch: pause every configured pair; the pairs paused."""
        for pair in self.pairs:
            self.set_paused(pair, True, by, reason)
        return list(self.pairs)

    def resume_all(self, by: str) -> list[str]:
        """Undo the kill switch: resume every configured pair; the pairs resumed."""
        for pair in self.pairs:
            self.set_paused(pair, False, by, None)
        return list(self.pairs)

    def approve(self, plan_id: int, by: str) -> Approval:
        """Approve a held plan and request a run of its pair; a second approval changes and starts nothing.

        UnknownPlanError (404 in the API) when no plan has that id, out-of-range ids included.
        """
        held = self.store.held_plan(plan_id)
        if held.approved_at is not None:
            log.info("held plan %d was already approved by %s", plan_id, held.approved_by)
            return Approval(held, already_approved=True, run_requested=False)
        plan = self.store.approve_plan(plan_id, by)
        requested = self.coordinators is not None and self.coordinators.request(
            plan.pair, "approved plan", force=True
        )
        log.warning(
            "held plan %d of pair %s approved by %s", plan.id, plan.pair, by, extra={"pair": plan.pair}
        )
        return Approval(plan, already_approved=False, run_requested=requested)
