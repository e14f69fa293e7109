"""The narrow, typed dependencies routes take (`Annotated[...]`), read from the app's composition.

Routes never receive the whole container: the status routes get a StatusReader, the webhook route a
WebhookIntake, the admin routes AdminActions once the caller proved it holds the admin token.

Every dependency is `async def` though none awaits: FastAPI runs a plain `def` dependency in its thread
pool, a thread hop per dependency per request (three on each webhook: most of an acknowledgement's cost
once the store's work is batched). These only read attributes, so the event loop runs them at once.
"""

from __future__ import annotations

import hmac
from typing import Annotated, cast

from fastapi import Depends, Header, Request

from app.config.settings import Settings
from app.runtime.admin import AdminActions
from app.runtime.calendar import CalendarFeeds
from app.runtime.drive_push import DriveNotifications
from app.runtime.intake import WebhookIntake
from app.runtime.metrics import Metrics
from app.runtime.sheet_hints import SheetHints
from app.runtime.status_reader import StatusReader
from app.runtime.wiring import Services
from app.web.errors import ApiError

__all__ = [
    "AdminDep",
    "CalendarDep",
    "DrivePushDep",
    "HintsDep",
    "IntakeDep",
    "MetricsDep",
    "SettingsDep",
    "StatusDep",
]


def _services(request: Request) -> Services:
    """The composition the app factory stored on the app (only this module reads it)."""
    return cast(Services, request.app.state.services)


async def get_settings(request: Request) -> Settings:
    """The process settings."""
    return _services(request).settings


async def get_status(request: Request) -> StatusReader:
    """What the status routes read."""
    return _services(request).status


async def get_intake(request: Request) -> WebhookIntake:
    """Where verified webhook bodies go."""
    return _services(request).intake


async def get_metrics(request: Request) -> Metrics:
    """The process's Prometheus metrics."""
    return _services(request).metrics


async def get_drive_push(request: Request) -> DriveNotifications:
    """Where Drive push messages go."""
    return _services(request).edits.push


async def get_hints(request: Request) -> SheetHints:
    """Where instant-mode edit hints go."""
    return _services(request).edits.hints


async def get_calendar(request: Request) -> CalendarFeeds:
    """The calendar feeds."""
    return _services(request).calendar


async def get_admin(request: Request, authorization: Annotated[str | None, Header()] = None) -> AdminActions:
    """The admin actions, once the caller proved it holds the admin token (404 when the API is off)."""
    token = _services(request).settings.admin_token
    expected = token.get_secret_value() if token is not None else ""
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
    return _services(request).admin


SettingsDep = Annotated[Settings, Depends(get_settings)]
StatusDep = Annotated[StatusReader, Depends(get_status)]
IntakeDep = Annotated[WebhookIntake, Depends(get_intake)]
MetricsDep = Annotated[Metrics, Depends(get_metrics)]
AdminDep = Annotated[AdminActions, Depends(get_admin)]
CalendarDep = Annotated[CalendarFeeds, Depends(get_calendar)]
DrivePushDep = Annotated[DriveNotifications, Depends(get_drive_push)]
HintsDep = Annotated[SheetHints, Depends(get_hints)]
