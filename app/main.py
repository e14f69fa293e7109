"""The composition root: `create_app` builds the FastAPI app, and its lifespan runs the coordinators.

`create_app()` with no arguments reads the environment and the YAML (what `boardsheet serve` runs); tests
and the demo pass a ready `Services` container instead.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool

from app import __version__
from app.config.models import Config, load_config
from app.config.settings import Settings, SettingsError, get_settings
from app.runtime.drive_channels import STOP_BUDGET
from app.runtime.logs import configure_logging
from app.runtime.wiring import Services, build_services
from app.web.admin import admin_router
from app.web.calendar import calendar_router
from app.web.edit_hooks import edit_hooks_router
from app.web.errors import install_error_handlers
from app.web.routes import api_router
from app.web.webhook_fast_path import WebhookFastPath
from app.web.webhooks import webhook_router

__all__ = ["create_app"]

log = logging.getLogger(__name__)

STOP_TIMEOUT = 30.0  # the runs in flight, every pair's together (a run never waits for one to end)
HELPER_STOP = 5.0  # each helper thread's join: webhook registration, Drive channels, sharing audit
# The longest a stop takes once the server has closed its connections: the helpers one after the other,
# the Drive channels' own stop, then the runs. A container's stop grace period must exceed it
# (docker-compose.yml, README "Deployment"; tests/packaging/test_container.py reads it).
SHUTDOWN_BOUND = 3 * HELPER_STOP + STOP_BUDGET + STOP_TIMEOUT
API_DESCRIPTION = (
    "boardsheet keeps Trello boards and Google Sheets calendars equal. Only `/webhooks/*` is meant for "
    "the internet; the status surface and `/admin/*` (bearer BOARDSHEET_ADMIN_TOKEN) are internal."
)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start every coordinator and the registration loop; stop them on shutdown."""
    services: Services = app.state.services
    services.coordinators.start()
    if services.registration is not None:
        # `boardsheet serve` says when its socket listens; under another server the first pass may fail
        # once, and is retried within seconds.
        services.registration.start(after=getattr(app.state, "listening", None))
    if services.edits.channels is not None:
        services.edits.channels.start()
    if services.sharing is not None:
        services.sharing.start()
    mode = "webhooks and timer" if services.callback_url else "polling only (no BOARDSHEET_PUBLIC_URL)"
    log.info("boardsheet started: %d pair(s), %s", len(services.coordinators), mode)
    _log_paused(services)
    try:
        yield
    finally:
        if services.registration is not None:
            services.registration.stop(HELPER_STOP)
        if services.edits.channels is not None:
            await run_in_threadpool(services.edits.channels.stop, HELPER_STOP, STOP_BUDGET)
        if services.sharing is not None:
            await run_in_threadpool(services.sharing.stop, HELPER_STOP)
        stopped = await run_in_threadpool(services.coordinators.stop, STOP_TIMEOUT)
        if not stopped:
            cut = ", ".join(services.coordinators.still_running()) or "a pair"
            log.warning("a run was still going when the service stopped: %s", cut)
        elif app.state.owns_services:
            services.close()
        log.info("boardsheet stopped")


def _log_paused(services: Services) -> None:
    """One line per paused pair at startup: nothing syncs it until someone resumes it."""
    for pair in services.config.pairs:
        flags = services.store.flags(pair.name)
        if flags.paused:
            why = f" ({flags.reason})" if flags.reason else ""
            log.warning(
                "pair %s is paused by %s%s: nothing syncs it until `boardsheet resume %s`",
                pair.name,
                flags.paused_by or "someone",
                why,
                pair.name,
                extra={"pair": pair.name},
            )


def _from_environment(settings: Settings | None, config: Config | None) -> Services:
    """Build everything from the environment and the YAML it names."""
    settings = settings if settings is not None else get_settings()
    configure_logging(fmt=settings.log_format, secrets=settings.secret_values())
    config = config if config is not None else load_config(settings.config_file()[0], env=settings.environ())
    for warning in config.warnings:
        log.warning("configuration: %s", warning)
    return build_services(settings, config, clock=time.time)


def create_app(
    settings: Settings | None = None, config: Config | None = None, *, services: Services | None = None
) -> FastAPI:
    """The boardsheet ASGI app; without `services`, built from the environment and the YAML."""
    # The OpenAPI description (/docs, /openapi.json) is internal, like the status page and /admin.
    app = FastAPI(
        title="boardsheet",
        version=__version__,
        description=API_DESCRIPTION,
        lifespan=lifespan,
        docs_url="/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.owns_services = services is None
    services = services if services is not None else _from_environment(settings, config)
    if services.callback_url is not None and services.settings.trello_app_secret is None:
        raise SettingsError(
            "set TRELLO_APP_SECRET to verify Trello webhooks (or unset BOARDSHEET_PUBLIC_URL)"
        )
    app.state.services = services
    install_error_handlers(app)
    app.include_router(api_router())
    app.include_router(admin_router())
    app.include_router(calendar_router())
    app.include_router(edit_hooks_router())
    if services.callback_url is not None:
        app.include_router(webhook_router())
        app.add_middleware(WebhookFastPath, services=services)  # the same answer, without the routing
    return app
