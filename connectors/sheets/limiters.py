"""The Sheets rate limiters: one per user and kind of request, under one per project and kind."""

from __future__ import annotations

from connectors.limits import RateLimiter, shared_limiter

__all__ = ["KINDS", "SHEETS_BURST", "SHEETS_PERIOD", "project_limiters", "sheets_limiters"]

# Google meters Sheets read and write requests apart, each per minute per user (60 by default) and per
# project (300): https://developers.google.com/workspace/sheets/api/limits. A run reads once and writes
# once, so it spends one request of each bucket.
KINDS = ("read", "write")
SHEETS_PERIOD = 60.0
# Four runs' reads (and four runs' writes) back to back, then one request per average slot: never a long
# stall, and never a minute's quota spent in seconds.
SHEETS_BURST = 4
DEFAULT_ENDPOINT = "https://sheets.googleapis.com"


def sheets_limiters(
    user: str, api_url: str | None, max_calls: int, project: dict[str, RateLimiter] | None = None
) -> dict[str, RateLimiter]:
    """A user's limiters on an endpoint, by kind: Google meters quota per user, across all our pairs.

    `max_calls` is per kind (60 reads and 60 writes a minute by default). `project` holds the limiters of
    the Google Cloud project the user belongs to (project_limiters): each call is admitted by its kind's
    user limiter and project limiter both.
    """
    burst = min(max_calls, SHEETS_BURST)
    endpoint = api_url or DEFAULT_ENDPOINT
    return {
        # One registry key per kind: a user's reads never queue behind its writes.
        kind: shared_limiter(
            user,
            f"{endpoint}#{kind}",
            max_calls,
            SHEETS_PERIOD,
            burst=burst,
            parent=None if project is None else project[kind],
        )
        for kind in KINDS
    }


def project_limiters(project: str, api_url: str | None, max_calls: int) -> dict[str, RateLimiter]:
    """A Google Cloud project's Sheets limiters, by kind, shared by every account of the project.

    Google meters read and write requests per minute per project as well as per user (300 each by
    default), so several service accounts of one project stay under the project's quota of each kind.
    """
    endpoint = api_url or DEFAULT_ENDPOINT
    return {
        # "#project" keeps these apart from any user's limiters, the kind from each other.
        kind: shared_limiter("project:" + project, f"{endpoint}#project#{kind}", max_calls, SHEETS_PERIOD)
        for kind in KINDS
    }
