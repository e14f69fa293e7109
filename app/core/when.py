"""Parse the TIME of `boardsheet restore --at` / `undo-archive --since` (pure): a few documented forms."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta, tzinfo

__all__ = ["parse_when"]

_AGO = re.compile(r"^(\d+)\s*(m|min|mins|minutes?|h|hours?|d|days?)\s+ago$")
_DAY = re.compile(r"^(today|yesterday)(?:\s+(\d{1,2}):(\d{2}))?$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


def parse_when(text: str, now: datetime, zone: tzinfo) -> datetime:
    """An aware datetime from "2h ago", "30 minutes ago", "yesterday 10:00", "today 09:30" (in `zone`)
    or an ISO 8601 datetime (naive ones are in `zone`); ValueError naming the accepted forms otherwise."""
    words = " ".join(text.strip().lower().split())
    if match := _AGO.match(words):
        unit = _UNITS[match.group(2)[0]]
        return now - timedelta(**{unit: int(match.group(1))})
    if match := _DAY.match(words):
        day = now.astimezone(zone).date() - timedelta(days=1 if match.group(1) == "yesterday" else 0)
        hour, minute = int(match.group(2) or 0), int(match.group(3) or 0)
        if hour > 23 or minute > 59:
            raise ValueError(f"{text!r}: no such time of day")
        return datetime.combine(day, time(hour, minute), tzinfo=zone)
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            f"{text!r} is not a time: use an ISO datetime (2026-11-30T10:00, 2026-11-30 10:00+01:00), "
            "'N minutes|hours|days ago' (2h ago) or 'today|yesterday [HH:MM]'"
        ) from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=zone)
