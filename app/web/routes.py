"""Health, readiness, status (JSON and HTML) and metrics routes.

Handlers are plain `def`s: FastAPI runs them in its thread pool, so a slow database never blocks the
event loop that acknowledges webhooks.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from fastapi import APIRouter, Response
from fastapi.responses import HTMLResponse, JSONResponse
from jinja2 import Environment, PackageLoader

from app.runtime.metrics import CONTENT_TYPE
from app.web.deps import MetricsDep, StatusDep
from app.web.errors import error_body

__all__ = ["api_router", "render_status_page"]

REFRESH_SECONDS = 10


@cache
def _template_environment() -> Environment:
    """Jinja2 with autoescaping on for every template (card names are untrusted text)."""
    return Environment(loader=PackageLoader("app.web", "templates"), autoescape=True)


def render_status_page(status: dict[str, Any]) -> str:
    """The HTML status page for a status document."""
    template = _template_environment().get_template("status.html")
    return template.render(status=status, refresh=REFRESH_SECONDS)


def api_router() -> APIRouter:
    """The router of the read-only endpoints."""
    router = APIRouter()

    @router.get("/healthz")
    def healthz() -> dict[str, str]:
        """The process is alive and serving."""
        return {"status": "ok"}

    @router.get("/readyz")
    def readyz(reader: StatusDep) -> JSONResponse:
        """Ready when the store answers and neither API refused our credentials; 503 with reasons else.

        Paused pairs are listed either way: a paused pair is no fault, but nothing syncs it.
        """
        reasons = reader.readiness()
        if reasons:
            body = error_body("not_ready", "; ".join(reasons)) | {"reasons": reasons}
            return JSONResponse(body, status_code=503)
        return JSONResponse({"status": "ready", "paused": reader.paused()})

    @router.get("/status")
    def status(reader: StatusDep) -> dict[str, Any]:
        """Per pair freshness, errors and held plans, and the recent change log."""
        return reader.status()

    @router.get("/", response_class=HTMLResponse)
    def page(reader: StatusDep) -> HTMLResponse:
        """The status page people open in a browser."""
        return HTMLResponse(render_status_page(reader.status()))

    @router.get("/metrics")
    def metrics(registry: MetricsDep) -> Response:
        """Prometheus text exposition."""
        return Response(registry.render(), media_type=CONTENT_TYPE)

    return router
