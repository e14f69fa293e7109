"""`GET /calendar/{pair}.ics?token=...`: the pair's cards as an iCalendar feed, for calendar apps.

The one stakeholder URL meant for the internet: a missing or wrong token, an unknown pair and a service
without BOARDSHEET_CALENDAR_SECRET all answer the same 404, so the URL reveals nothing without its token.
"""

from __future__ import annotations

from fastapi import APIRouter, Response

from app.runtime.calendar import CALENDAR_PATH
from app.web.deps import CalendarDep
from app.web.errors import ApiError
from app.web.params import is_pair_name

__all__ = ["calendar_router"]

MEDIA_TYPE = "text/calendar; charset=utf-8"


def calendar_router() -> APIRouter:
    """The router of the calendar feed."""
    router = APIRouter()

    @router.get(CALENDAR_PATH)
    def calendar_feed(pair: str, feeds: CalendarDep, token: str | None = None) -> Response:
        """The pair's feed (never calls Trello: it is the last run's board read).

        A name no pair could have is the same 404 as a wrong token, checked before anything else.
        """
        body = feeds.feed(pair, token) if is_pair_name(pair) else None
        if body is None:
            raise ApiError(404, "not_found", "no such calendar feed")
        # Calendar apps poll; let them revalidate rather than keep a stale copy for long.
        headers = {"Cache-Control": "private, max-age=300", "X-Content-Type-Options": "nosniff"}
        return Response(body, media_type=MEDIA_TYPE, headers=headers)

    return router
