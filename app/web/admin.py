"""Admin endpoints: sync a pair now, pause or resume it, approve a held plan.

They exist only when BOARDSHEET_ADMIN_TOKEN is set (404 otherwise) and require it as a bearer token,
compared in constant time (401 otherwise). Every error uses the one JSON error shape.
"""

from __future__ import annotations

import hmac
import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header

from app.errors import UnknownPlanError
from app.runtime.services import Services
from app.web.routes import ServicesDep

__all__ = ["ApiError", "admin_router", "require_admin"]

log = logging.getLogger(__name__)

APPROVED_BY = "admin API"


class ApiError(Exception):
    """An error answered as `{"error": {"code", "message"}}` with an HTTP status (see app.main)."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers


def require_admin(services: ServicesDep, authorization: Annotated[str | None, Header()] = None) -> Services:
    """The services, once the caller proved it holds the admin token."""
    expected = services.admin_token
    if not expected:  # unset, or blank: never let an empty bearer token through
        raise ApiError(404, "not_found", "the admin API is disabled: BOARDSHEET_ADMIN_TOKEN is not set")
    scheme, _, given = (authorization or "").partition(" ")
    # compare_digest on bytes: constant time whatever the characters, so no timing oracle on the token.
    valid = scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), expected.encode())
    if not valid:
        raise ApiError(
            401,
            "unauthorized",
            "send the admin token as 'Authorization: Bearer <BOARDSHEET_ADMIN_TOKEN>'",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return services


AdminDep = Annotated[Services, Depends(require_admin)]


def _known(services: Services, pair: str) -> None:
    """404 unless `pair` is configured."""
    if pair not in services.coordinators:
        names = ", ".join(p.name for p in services.config.pairs)
        raise ApiError(404, "unknown_pair", f"no pair named '{pair}' (configured: {names})")


def _set_paused(services: Services, pair: str, paused: bool) -> dict[str, Any]:
    """Persist the pause flag (every replica sees it), then tell the local coordinator."""
    _known(services, pair)
    services.store.set_paused(pair, paused)
    coordinator = services.coordinators.get(pair)
    if paused:
        coordinator.pause()
    else:
        coordinator.resume()
    log.info("pair %s %s by the admin API", pair, "paused" if paused else "resumed", extra={"pair": pair})
    return {"pair": pair, "paused": paused}


def admin_router() -> APIRouter:
    """The router under /admin."""
    router = APIRouter(prefix="/admin")

    @router.post("/pairs/{pair}/sync", status_code=202)
    def sync_now(pair: str, services: AdminDep) -> dict[str, Any]:
        """Request a run of `pair` now, skipping the debounce and any backoff."""
        _known(services, pair)
        services.request_run(pair, "admin", force=True)
        return {"pair": pair, "requested": True}

    @router.post("/pairs/{pair}/pause")
    def pause(pair: str, services: AdminDep) -> dict[str, Any]:
        """Stop running `pair` until it is resumed."""
        return _set_paused(services, pair, True)

    @router.post("/pairs/{pair}/resume")
    def resume(pair: str, services: AdminDep) -> dict[str, Any]:
        """Run `pair` again; what was requested meanwhile runs next."""
        return _set_paused(services, pair, False)

    @router.post("/plans/{plan_id}/approve")
    def approve(plan_id: int, services: AdminDep) -> dict[str, Any]:
        """Approve a held plan, then request a run of its pair so it is applied."""
        try:
            plan = services.store.approve_plan(plan_id, APPROVED_BY)
        except UnknownPlanError as exc:
            raise ApiError(404, "unknown_plan", f"no held plan has id {plan_id}") from exc
        requested = services.request_run(plan.pair, "approved plan", force=True)
        log.info("held plan %d of pair %s approved", plan.id, plan.pair, extra={"pair": plan.pair})
        return {
            "plan": plan.id,
            "pair": plan.pair,
            "approved_at": plan.approved_at.isoformat() if plan.approved_at else None,
            "approved_by": plan.approved_by,
            "run_requested": requested,
        }

    return router
