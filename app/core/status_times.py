"""Times as the status answers show them: ISO 8601 UTC, "12 s ago", "in 4 min", a zone's HH:MM (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["ago", "clock_time", "iso", "within"]


def iso(seconds: float | None) -> str | None:
    """Epoch seconds as ISO 8601 UTC (to the second), None stays None."""
    if seconds is None:
        return None
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="seconds")


def ago(seconds: float | None, now: float) -> str | None:
    """How long ago, in words people read at a glance: "12 s ago", "3 min ago", "2 h ago", "4 d ago"."""
    if seconds is None:
        return None
    delta = max(0, round(now - seconds))
    if delta < 90:
        return f"{delta} s ago"
    if delta < 90 * 60:
        return f"{round(delta / 60)} min ago"
    if delta < 36 * 3600:
        return f"{round(delta / 3600)} h ago"
    return f"{round(delta / 86400)} d ago"


def within(seconds: float | None, now: float) -> str | None:
    """How soon, in words: "in 12 s", "in 4 min", "now" once due."""
    if seconds is None:
        return None
    delta = round(seconds - now)
    if delta <= 0:
        return "now"
    return f"in {delta} s" if delta < 90 else f"in {round(delta / 60)} min"


def clock_time(seconds: float, timezone: str) -> str:
    """Epoch seconds as HH:MM on the clock of `timezone` (an IANA name; UTC when unknown)."""
    try:
        zone: tzinfo = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = UTC
    return datetime.fromtimestamp(seconds, zone).strftime("%H:%M")
