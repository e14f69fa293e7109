"""HTTP plumbing of the Trello emulator: context, parameters, auth and rate limits."""

from __future__ import annotations

import collections
import json
import re
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse

from connectors.emulators.trello.actions import ActionLog
from connectors.emulators.trello.state import TrelloError, TrelloState
from connectors.emulators.trello.webhooks import Dispatcher

WINDOW_MS = 10_000
TOKEN_MAX = 100
KEY_MAX = 300
_OAUTH_PARAM = re.compile(r'(oauth_[a-z_]+)="([^"]*)"')
RATE_LIMITED = {"error": "API_TOKEN_LIMIT_EXCEEDED", "message": "Rate limit exceeded"}


@dataclass
class Ctx:
    """What every route needs: the state, the action log, the webhook dispatcher and credentials."""

    state: TrelloState
    actions: ActionLog
    dispatcher: Dispatcher
    api_key: str
    app_secret: str


@dataclass
class RateLimiter:
    """Sliding 10-second windows per token and per key, as Trello counts them."""

    enabled: bool = True
    clock: Callable[[], float] = time.monotonic
    _hits: dict[str, collections.deque[float]] = field(
        default_factory=lambda: collections.defaultdict(collections.deque)
    )
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, key: str, token: str) -> tuple[bool, int, int]:
        """Count one request; returns (allowed, key remaining, token remaining)."""
        now = self.clock()
        with self._lock:
            key_hits, token_hits = self._window(f"k:{key}", now), self._window(f"t:{token}", now)
            allowed = not self.enabled or (len(key_hits) < KEY_MAX and len(token_hits) < TOKEN_MAX)
            if allowed:
                key_hits.append(now)
                token_hits.append(now)
            return allowed, max(KEY_MAX - len(key_hits), 0), max(TOKEN_MAX - len(token_hits), 0)

    def _window(self, name: str, now: float) -> collections.deque[float]:
        hits = self._hits[name]
        while hits and now - hits[0] >= WINDOW_MS / 1000:
            hits.popleft()
        return hits


def rate_headers(key_left: int, token_left: int) -> dict[str, str]:
    """The x-rate-limit-* headers Trello sends on every answer."""
    return {
        "x-rate-limit-api-key-interval-ms": str(WINDOW_MS),
        "x-rate-limit-api-key-max": str(KEY_MAX),
        "x-rate-limit-api-key-remaining": str(key_left),
        "x-rate-limit-api-token-interval-ms": str(WINDOW_MS),
        "x-rate-limit-api-token-max": str(TOKEN_MAX),
        "x-rate-limit-api-token-remaining": str(token_left),
    }


def credentials(request: Request) -> tuple[str | None, str | None]:
    """The key and token of a request: query parameters, or py-trello's OAuth header."""
    key, token = request.query_params.get("key"), request.query_params.get("token")
    header = request.headers.get("authorization", "")
    if header.startswith("OAuth "):
        found = dict(_OAUTH_PARAM.findall(header))
        key = key or found.get("oauth_consumer_key")
        token = token or found.get("oauth_token")
    return key, token


def install_auth(app: FastAPI, ctx: Ctx, limiter: RateLimiter) -> None:
    """Authenticate every /1/ request, apply the rate limits and add their headers."""

    @app.middleware("http")
    async def auth_and_limit(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        path = request.scope["path"]
        if len(path) > 1 and path.endswith("/"):
            request.scope["path"] = path = path.rstrip("/")  # py-trello posts webhooks to .../webhooks/
        if not path.startswith("/1/"):
            return await call_next(request)
        key, token = credentials(request)
        if key != ctx.api_key:
            return PlainTextResponse("invalid key", status_code=401)
        member = ctx.state.member_for(token or "")
        if member is None:
            return PlainTextResponse("invalid token", status_code=401)
        allowed, key_left, token_left = limiter.take(key, token or "")
        headers = rate_headers(key_left, token_left)
        if not allowed:
            return JSONResponse(RATE_LIMITED, status_code=429, headers=headers)
        request.state.member = member
        request.state.token = token
        response = await call_next(request)
        response.headers.update(headers)
        return response

    @app.exception_handler(TrelloError)
    async def trello_error(_: Request, exc: TrelloError) -> Response:
        return PlainTextResponse(exc.text, status_code=exc.status)


async def params(request: Request) -> dict[str, Any]:
    """Request parameters from the query, a form body or a JSON body (clients use all three)."""
    found: dict[str, Any] = {k: v for k, v in request.query_params.items() if k not in ("key", "token")}
    body = await request.body()
    if not body:
        return found
    kind = request.headers.get("content-type", "")
    if "json" in kind:
        try:
            loaded = json.loads(body)
        except ValueError as exc:
            raise TrelloError(400, "invalid json") from exc
        if isinstance(loaded, dict):
            found.update(loaded)
    elif "form" in kind:
        form = await request.form()
        found.update({k: v for k, v in form.items() if isinstance(v, str) and k not in ("key", "token")})
    return found


def flag(value: Any) -> bool:
    """Trello's booleans arrive as true/false, 'true'/'false' or 'on'."""
    return value is True or str(value).lower() in ("true", "on", "1")


def member_of(request: Request) -> dict[str, Any]:
    """The member the request's token belongs to (set by the auth middleware)."""
    member: dict[str, Any] = request.state.member
    return member
