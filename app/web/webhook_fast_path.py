"""POST /webhooks/trello answered before FastAPI's routing and dependency injection (pure ASGI).

Trello's deliveries are the one request the service takes at volume (issue 13: ≥ 1,000 a second on one
core). FastAPI matching the path against every route and solving the route's dependencies cost more than
the whole acknowledgement; this middleware answers that one path and method with the same `answer`
the route uses, and hands every other request to the app. The route stays (OpenAPI, HEAD, and tests that
override its dependencies); Starlette's ServerErrorMiddleware still wraps this, so an unexpected error is
the usual 500.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from app.runtime.registration import WEBHOOK_PATH
from app.runtime.wiring import Services
from app.web.webhooks import answer

__all__ = ["WebhookFastPath"]


class WebhookFastPath:
    """ASGI middleware: POST /webhooks/trello straight to `answer`; anything else to the app."""

    def __init__(self, app: ASGIApp, services: Services) -> None:
        self.app = app
        self._services = services

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer a Trello delivery here; pass everything else on untouched."""
        if scope["type"] != "http" or scope["path"] != WEBHOOK_PATH or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        services = self._services
        response = await answer(Request(scope, receive), services.settings, services.intake, services.metrics)
        await response(scope, receive, send)
