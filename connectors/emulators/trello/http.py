"""HTTP plumbing of the Trello emulator: context, parameters, auth, rate limits and error answers."""

from __future__ import annotations

import collections
import json
import re
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse
from starlette.exceptions import HTTPException

from connectors.emulators.trello.actions import ActionLog
from connectors.emulators.trello.paths import no_route, normalise
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
    """Sliding 10-second windows per token and per key, as Trello counts them (changeable at run time)."""

    enabled: bool = True
    clock: Callable[[], float] = time.monotonic
    token_max: int = TOKEN_MAX
    key_max: int = KEY_MAX
    _hits: dict[str, collections.deque[float]] = field(
        default_factory=lambda: collections.defaultdict(collections.deque)
    )
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, key: str, token: str) -> tuple[bool, int, int]:
        """Count one request; returns (allowed, key remaining, token remaining)."""
        now = self.clock()
        with self._lock:
            key_hits, token_hits = self._window(f"k:{key}", now), self._window(f"t:{token}", now)
            allowed = not self.enabled or (len(key_hits) < self.key_max and len(token_hits) < self.token_max)
            if allowed:
                key_hits.append(now)
                token_hits.append(now)
            return allowed, max(self.key_max - len(key_hits), 0), max(self.token_max - len(token_hits), 0)

    def headers(self, key_left: int, token_left: int) -> dict[str, str]:
        """The x-rate-limit-* headers of an answer under this limiter's maxima."""
        return rate_headers(key_left, token_left, self.key_max, self.token_max)

    def describe(self) -> dict[str, Any]:
        """The limits, as GET /_emulator/limits shows them."""
        return {"rate_limits": self.enabled, "token_max": self.token_max, "key_max": self.key_max}

    def update(self, changes: dict[str, Any]) -> None:
        """Switch the limits on or off or change the maxima (all checked first); raises ValueError."""
        unknown = set(changes) - {"rate_limits", "token_max", "key_max"}
        if unknown:
            raise ValueError(f"unknown limits: {', '.join(sorted(unknown))}")
        if "rate_limits" in changes and not isinstance(changes["rate_limits"], bool):
            raise ValueError("rate_limits must be true or false")
        for name in ("token_max", "key_max"):
            value = changes.get(name, 1)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a whole number >= 1")
        self.enabled = bool(changes.get("rate_limits", self.enabled))
        self.token_max = int(changes.get("token_max", self.token_max))
        self.key_max = int(changes.get("key_max", self.key_max))

    def _window(self, name: str, now: float) -> collections.deque[float]:
        hits = self._hits[name]
        while hits and now - hits[0] >= WINDOW_MS / 1000:
            hits.popleft()
        return hits


def rate_headers(
    key_left: int, token_left: int, key_max: int = KEY_MAX, token_max: int = TOKEN_MAX
) -> dict[str, str]:
    """The x-rate-limit-* headers Trello sends on every answer."""
    return {
        "x-rate-limit-api-key-interval-ms": str(WINDOW_MS),
        "x-rate-limit-api-key-max": str(key_max),
        "x-rate-limit-api-key-remaining": str(key_left),
        "x-rate-limit-api-token-interval-ms": str(WINDOW_MS),
        "x-rate-limit-api-token-max": str(token_max),
        "x-rate-limit-api-token-remaining": str(token_left),
    }


async def credentials(request: Request) -> tuple[str | None, str | None]:
    """The key and token of a request: query parameters, py-trello's OAuth header, or the body.

    Trello takes them "as query params or in the body of the request" (its authorization guide,
    https://developer.atlassian.com/cloud/trello/guides/rest-api/authorization/), form or JSON alike.
    """
    key, token = request.query_params.get("key"), request.query_params.get("token")
    header = request.headers.get("authorization", "")
    if header.startswith("OAuth "):
        found = dict(_OAUTH_PARAM.findall(header))
        key = key or found.get("oauth_consumer_key")
        token = token or found.get("oauth_token")
    multipart = "multipart/form-data" in request.headers.get("content-type", "")
    if (key is None or token is None) and request.method in ("POST", "PUT", "DELETE") and not multipart:
        body = await _body_params(request)
        key = key or _text(body.get("key"))
        token = token or _text(body.get("token"))
    return key, token


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def install_auth(app: FastAPI, ctx: Ctx, limiter: RateLimiter) -> None:
    """Authenticate every /1/ request, apply the rate limits and add their headers."""

    @app.middleware("http")
    async def auth_and_limit(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        request.scope["path"] = path = normalise(request.scope["path"])
        if not path.startswith("/1/"):
            return await call_next(request)
        key, token = await credentials(request)
        if key != ctx.api_key:
            return PlainTextResponse("invalid key", status_code=401)
        member = ctx.state.member_for(token or "")
        if member is None:
            return PlainTextResponse("invalid token", status_code=401)
        allowed, key_left, token_left = limiter.take(key, token or "")
        headers = limiter.headers(key_left, token_left)
        if not allowed:
            return JSONResponse(RATE_LIMITED, status_code=429, headers=headers)
        request.state.member = member
        request.state.token = token
        response = await call_next(request)
        response.headers.update(headers)
        return response

    install_errors(app)


def install_errors(app: FastAPI) -> None:
    """Trello's error answers: plain text, never FastAPI's `{"detail": ...}`."""

    @app.exception_handler(TrelloError)
    async def trello_error(_: Request, exc: TrelloError) -> Response:
        if exc.body is not None:
            return JSONResponse(exc.body, status_code=exc.status)
        return PlainTextResponse(exc.text, status_code=exc.status)

    @app.exception_handler(HTTPException)
    async def no_such_route(request: Request, exc: HTTPException) -> Response:
        if exc.status_code in (404, 405):
            return no_route(request.scope)
        return PlainTextResponse(str(exc.detail), status_code=exc.status_code)

    async def invalid(_: Request, _exc: Exception) -> Response:
        return PlainTextResponse("invalid value", status_code=400)

    for kind in (RequestValidationError, ValueError, TypeError, KeyError):
        # A value a route cannot use: Trello answers 400 "invalid value for ...", never a Python error's text.
        app.add_exception_handler(kind, invalid)


async def _body_params(request: Request) -> dict[str, Any]:
    """The parameters of a form or JSON body (empty when there is none or it is something else)."""
    body = await request.body()
    if not body:
        return {}
    kind = request.headers.get("content-type", "")
    if "json" in kind:
        try:
            loaded = json.loads(body)
        except ValueError as exc:
            raise TrelloError(400, "invalid json") from exc
        return dict(loaded) if isinstance(loaded, dict) else {}
    if "application/x-www-form-urlencoded" in kind:
        return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    if "multipart/form-data" in kind:
        async with request.form() as form:
            return {k: v for k, v in form.items() if isinstance(v, str)}
    return {}


async def params(request: Request) -> dict[str, Any]:
    """Request parameters from the query, a form body or a JSON body (clients use all three)."""
    found: dict[str, Any] = {k: v for k, v in request.query_params.items() if k not in ("key", "token")}
    body = await _body_params(request)
    found.update({k: v for k, v in body.items() if k not in ("key", "token")})
    return found


def flag(value: Any) -> bool:
    """Trello's booleans arrive as true/false, 'true'/'false' or 'on'."""
    return value is True or str(value).lower() in ("true", "on", "1")


def member_of(request: Request) -> dict[str, Any]:
    """The member the request's token belongs to (set by the auth middleware)."""
    member: dict[str, Any] = request.state.member
    return member
