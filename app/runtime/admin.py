"""The operator's actions on pairs: sync now, pause, resume, approve a held plan.

The admin API calls these; every replica follows them because the pause flag and approvals live in the
shared store.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from app.core.records import HeldPlan
from app.errors import UnknownPairError
from app.runtime.coordinators import CoordinatorGroup
from app.store.store import Store

__all__ = ["AdminActions"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AdminActions:
    """Operator actions; each raises UnknownPairError for a pair that is not configured."""

    store: Store
    coordinators: CoordinatorGroup

    def _known(self, pair: str) -> None:
        if pair not in self.coordinators:
            raise UnknownPairError(pair, [c.name for c in self.coordinators])

    def sync_now(self, pair: str) -> None:
        """Request a run of `pair` now, skipping the debounce and any backoff."""
        self._known(pair)
        self.coordinators.request(pair, "admin", force=True)

    def set_paused(self, pair: str, paused: bool, by: str) -> None:
        """Persist the pause flag (every replica follows it), then tell the local coordinator."""
        self._known(pair)
        self.store.set_paused(pair, paused)
        coordinator = self.coordinators.get(pair)
        if paused:
            coordinator.pause()
        else:
            coordinator.resume()
        log.info("pair %s %s by %s", pair, "paused" if paused else "resumed", by, extra={"pair": pair})

    def approve(self, plan_id: int, by: str) -> tuple[HeldPlan, bool]:
        """Approve a held plan and request a run of its pair; (plan, run requested). UnknownPlanError."""
        plan = self.store.approve_plan(plan_id, by)
        requested = self.coordinators.request(plan.pair, "approved plan", force=True)
        log.info("held plan %d of pair %s approved by %s", plan.id, plan.pair, by, extra={"pair": plan.pair})
        return plan, requested
