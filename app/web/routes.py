"""Health, readiness, status (JSON and HTML) and metrics routes.

Handlers are plain `def`s: FastAPI runs them in its thread pool, so a slow database never blocks the
event loop that acknowledges webhooks.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any, cast

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from jinja2 import Environment, PackageLoader

from app.core.schedule import describe_error
from app.errors import StoreError
from app.runtime.metrics import CONTENT_TYPE
from app.runtime.services import Services
from app.web.errors import error_body
from app.web.status import PairFacts, StatusInputs, build_status

__all__ = ["ServicesDep", "api_router", "collect_status", "get_services", "readiness"]

REFRESH_SECONDS = 10
CHANGES_SHOWN = 50
RUNS_READ = 10  # enough to find the last successful run behind a few failed ones
SYNCED = ("ok", "noop")
_SERVICE_NAMES = {"trello": "Trello", "sheets": "Google Sheets"}


def get_services(request: Request) -> Services:
    """The container the app factory stored on the app."""
    return cast(Services, request.app.state.services)


ServicesDep = Annotated[Services, Depends(get_services)]


def readiness(services: Services) -> list[str]:
    """Why the service is not ready, in plain words; empty when it is."""
    reasons: list[str] = []
    try:
        services.store.ping()
    except StoreError as exc:
        reasons.append(f"the state store is unreachable: {describe_error(exc)}")
    for service, error in sorted(services.tracker.auth_errors.items()):
        reasons.append(f"{_SERVICE_NAMES.get(service, service)} refused our credentials: {error}")
    return reasons


def _pair_facts(services: Services, name: str) -> PairFacts:
    """Everything the status shows about one pair (a few small store reads)."""
    pair = services.config.pair(name)
    store, tracker = services.store, services.tracker
    runs = store.runs(name, limit=RUNS_READ)
    synced = next((run.finished_at.timestamp() for run in runs if run.outcome in SYNCED), None)
    base = store.load_base(name)
    return PairFacts(
        name=name,
        board=pair.trello.board,
        spreadsheet=pair.sheet.spreadsheet,
        tab=pair.sheet.tab,
        health=services.coordinators.get(name).health,
        last_run=runs[0] if runs else None,
        rows=None if base is None else len(base),
        held=[plan for plan in store.held_plans(name) if plan.approved_at is None],
        last_webhook=_last_webhook(services, name),
        failing_since=tracker.failing_since.get(name),
        last_synced=synced,
    )


def _last_webhook(services: Services, name: str) -> float | None:
    """This replica's last accepted webhook, or the newest change any replica logged, if later."""
    newest = services.store.recent_changes(name, limit=1)
    times = [services.tracker.last_webhook.get(name), newest[0].at.timestamp() if newest else None]
    return max((t for t in times if t is not None), default=None)


def collect_status(services: Services) -> dict[str, Any]:
    """The status document, read now from the coordinators and the store."""
    inputs = StatusInputs(
        now=services.clock(),
        pairs=[_pair_facts(services, pair.name) for pair in services.config.pairs],
        changes=[services.option_names.named(c) for c in services.store.recent_changes(limit=CHANGES_SHOWN)],
        public_url=services.settings.public_url,
        admin_enabled=services.admin_token is not None,
        registration=services.registration,
    )
    return build_status(inputs)


@cache
def _template_environment() -> Environment:
    """Jinja2 with autoescaping on for every template (card names are untrusted text)."""
    return Environment(loader=PackageLoader("app.web", "templates"), autoescape=True)


def render_status_page(status: dict[str, Any]) -> str:
    """The HTML status page for a status document."""
    template = _template_environment().get_template("status.html")
    return template.render(status=status, refresh=REFRESH_SECONDS)


def api_router() -> APIRouter:
    """The router of the public, read-only endpoints."""
    router = APIRouter()

    @router.get("/healthz")
    def healthz() -> dict[str, str]:
        """The process is alive and serving."""
        return {"status": "ok"}

    @router.get("/readyz")
    def readyz(services: ServicesDep) -> JSONResponse:
        """Ready when the store answers and neither API refused our credentials; 503 with reasons else."""
        reasons = readiness(services)
        if reasons:
            body = error_body("not_ready", "; ".join(reasons)) | {"reasons": reasons}
            return JSONResponse(body, status_code=503)
        return JSONResponse({"status": "ready"})

    @router.get("/status")
    def status(services: ServicesDep) -> dict[str, Any]:
        """Per pair freshness, errors and held plans, and the recent change log."""
        return collect_status(services)

    @router.get("/", response_class=HTMLResponse)
    def page(services: ServicesDep) -> HTMLResponse:
        """The status page people open in a browser."""
        return HTMLResponse(render_status_page(collect_status(services)))

    @router.get("/metrics")
    def metrics(services: ServicesDep) -> Response:
        """Prometheus text exposition."""
        return Response(services.metrics.render(), media_type=CONTENT_TYPE)

    return router
