"""The FastAPI app factory: routes, the one JSON error shape, and a lifespan running coordinators.

`create_app()` with no arguments reads the environment and the YAML (what `boardsheet serve` runs, with
uvicorn's `factory=True`); tests and the demo pass a ready `Services` container instead.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.config.models import Config, load_config
from app.config.settings import Settings, get_settings
from app.core.schedule import describe_error
from app.errors import StoreError
from app.runtime.logs import configure_logging
from app.runtime.registration import ensure_webhooks
from app.runtime.services import Services, build_services, configured_boards, webhook_deps
from app.web.admin import ApiError, admin_router
from app.web.errors import error_response
from app.web.routes import api_router
from app.web.status import iso
from app.web.webhooks import webhook_router

__all__ = ["RegistrationLoop", "create_app", "register_once"]

log = logging.getLogger(__name__)

STOP_TIMEOUT = 30.0


def register_once(services: Services) -> None:
    """One registration pass: resolve board ids, ensure webhooks, note the outcome for /status."""
    url, trello = services.callback_url, services.trello
    if url is None or trello is None:
        return
    boards = configured_boards(trello, services.config, services.board_ids)
    report = ensure_webhooks(trello, boards, url)
    services.registration = {
        "callback_url": url,
        "checked_at": iso(services.clock()),
        "summary": report.summary(),
        "error": "; ".join(report.errors) or None,
    }
    if not report.ok:
        raise RuntimeError("; ".join(report.errors))


class RegistrationLoop:
    """Ensures webhooks at start and on every tick, in a thread; failures are logged once, never raised."""

    def __init__(self, services: Services, every: float) -> None:
        self._services = services
        self._every = every
        self._stop = threading.Event()
        self._failing = False
        self._thread = threading.Thread(target=self._loop, name="webhook-registration", daemon=True)

    def start(self) -> None:
        """Start the thread (nothing to do in polling-only mode)."""
        if self._services.callback_url is not None:
            self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Ask the thread to end and wait a little for it."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def tick(self) -> None:
        """One pass; logs once when registration starts failing and once when it works again."""
        try:
            register_once(self._services)
        except Exception as exc:  # a Trello outage must never take the service down
            self._services.registration = {
                **self._services.registration,
                "error": describe_error(exc),
                "failed_at": iso(self._services.clock()),
            }
            self._services.tracker.auth_result(exc)
            if not self._failing:
                log.warning("webhook registration failed (will retry): %s", describe_error(exc))
            self._failing = True
            return
        self._services.tracker.auth_result(None, "trello")
        if self._failing:
            log.warning("webhook registration works again")
        self._failing = False

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.tick()
            self._stop.wait(self._every)


def _registration_every(config: Config) -> float:
    """Check webhooks as often as the most frequent pair reconciles."""
    return min(pair.reconcile_every.total_seconds() for pair in config.pairs)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start every coordinator and the registration loop; stop them on shutdown."""
    services: Services = app.state.services
    registration = RegistrationLoop(services, _registration_every(services.config))
    services.coordinators.start()
    registration.start()
    mode = "webhooks and timer" if services.callback_url else "polling only (no BOARDSHEET_PUBLIC_URL)"
    log.info("boardsheet started: %d pair(s), %s", len(services.coordinators), mode)
    try:
        yield
    finally:
        registration.stop()
        stopped = await run_in_threadpool(services.coordinators.stop, STOP_TIMEOUT)
        if not stopped:
            log.warning("a run was still going when the service stopped")
        elif app.state.owns_services:
            services.close()
        log.info("boardsheet stopped")


def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    """Starlette's HTTP errors (404 route, 405 method...) in the one JSON shape."""
    assert isinstance(exc, StarletteHTTPException)
    phrase = HTTPStatus(exc.status_code).phrase if exc.status_code in HTTPStatus._value2member_map_ else ""
    code = phrase.lower().replace(" ", "_").replace("-", "_") or "error"
    detail = exc.detail if isinstance(exc.detail, str) and exc.detail else phrase
    return error_response(exc.status_code, code, detail, headers=getattr(exc, "headers", None))


def _api_error(_request: Request, exc: Exception) -> JSONResponse:
    """Our own API errors."""
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.code, exc.message, headers=exc.headers)


def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    """422 in the one shape, naming what was wrong (never echoing the input)."""
    assert isinstance(exc, RequestValidationError)
    problems = [
        f"{'.'.join(str(p) for p in error.get('loc', ()))}: {error.get('msg', 'invalid')}"
        for error in exc.errors()
    ]
    return error_response(422, "invalid_request", "; ".join(problems) or "invalid request")


def _store_error(_request: Request, exc: Exception) -> JSONResponse:
    """The state store failed: 503, so probes and people retry (the message never holds a password)."""
    log.warning("request failed, the state store is unavailable: %s", describe_error(exc))
    return error_response(503, "store_unavailable", f"the state store is unavailable: {describe_error(exc)}")


def _internal_error(_request: Request, exc: Exception) -> JSONResponse:
    """Anything else: 500 in the one shape, without internals (the traceback goes to the log)."""
    log.error("request failed", exc_info=exc)
    return error_response(500, "internal", "internal error; see the service log")


def install_error_handlers(app: FastAPI) -> None:
    """Every API error answers `{"error": {"code", "message"}}`."""
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StoreError, _store_error)
    app.add_exception_handler(Exception, _internal_error)


def _from_environment(settings: Settings | None, config: Config | None) -> Services:
    """Build everything from the environment and the YAML it names."""
    settings = settings if settings is not None else get_settings()
    secrets = (
        settings.trello_api_key,
        settings.trello_token,
        settings.trello_app_secret,
        settings.admin_token,
    )
    configure_logging(
        fmt=settings.log_format, secrets=[s.get_secret_value() for s in secrets if s is not None]
    )
    config = config if config is not None else load_config(settings.config_path)
    return build_services(settings, config, clock=time.time)


def create_app(
    settings: Settings | None = None, config: Config | None = None, *, services: Services | None = None
) -> FastAPI:
    """The boardsheet ASGI app; without `services`, built from the environment and the YAML."""
    app = FastAPI(title="boardsheet", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.owns_services = services is None
    services = services if services is not None else _from_environment(settings, config)
    app.state.services = services
    install_error_handlers(app)
    app.include_router(api_router())
    app.include_router(admin_router())
    if services.callback_url is not None:
        app.include_router(webhook_router(webhook_deps(services)))
    return app
