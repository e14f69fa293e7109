"""The calendar feed (pure): a board read -> the feed document the store keeps -> iCalendar bytes.

The document is plain JSON, built by each run from its board read, so `GET /calendar/{pair}.ics` never
calls Trello. Events follow RFC 5545 (https://www.rfc-editor.org/rfc/rfc5545): date-only cards are all-day
events (DTSTART;VALUE=DATE, DTEND the next day), others timed events in UTC (3.3.5 form #2) with no
VTIMEZONE: a TZID would need one (3.6.5), and icalendar's generated one only covers 1970-2038 (its
COMMENT says so; later events would be an hour off); X-WR-TIMEZONE names the pair's zone; each card
keeps one UID; an archived card stays in the feed as STATUS:CANCELLED for CANCELLED_KEPT after it was
archived (its last activity), so subscribed calendars drop it, then leaves.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from app.core.mapping import exclusion
from app.core.model import Board, Policy
from app.core.views.cards import card_date, moment

if TYPE_CHECKING:  # icalendar loads when a feed is served, not with every sync (issue 13: start-up)
    from icalendar import Event

FeedDocument = dict[str, Any]
CANCELLED_KEPT = timedelta(days=7)
TIMED_LENGTH = timedelta(minutes=30)
REFRESH = timedelta(hours=1)  # what the feed asks clients to poll at (RFC 7986 REFRESH-INTERVAL)
PRODID = "-//boardsheet//calendar feed//EN"
TOKEN_CONTEXT = b"boardsheet calendar feed v1\x00"


def feed_token(secret: str, pair: str) -> str:
    """The pair's feed token: HMAC-SHA256 of its name under the secret; rotating the secret revokes it."""
    digest = hmac.new(secret.encode(), TOKEN_CONTEXT + pair.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode().rstrip("=")


def token_matches(secret: str, pair: str, given: str) -> bool:
    """Whether `given` is the pair's token, compared in constant time."""
    return hmac.compare_digest(feed_token(secret, pair).encode(), given.encode())


def feed_document(board: Board, policy: Policy, source: str, timezone: str) -> FeedDocument:
    """What the feed needs from one board read: the pair's cards having the `source` date."""
    events = []
    kept = replace(policy, archived="keep")  # archived cards stay, as cancelled events
    for card in board.cards:
        when = card_date(card, source)
        if when is None or exclusion(card, kept) is not None:
            continue
        found = moment(when, timezone)
        modified = card.last_activity or when
        events.append(
            {
                "id": card.id,
                "name": card.name,
                "list": card.list_name,
                "labels": [name for name in card.labels if name],
                "url": card.url or card.short_url,
                "day": found.day.isoformat() if found.at is None else None,
                "start": None if found.at is None else when.astimezone(UTC).isoformat(),
                "modified": modified.astimezone(UTC).isoformat(),
                "archived": card.archived,
            }
        )
    return {"board": board.name, "timezone": timezone, "events": events}


def _event(pair: str, item: Mapping[str, Any], cancelled: bool) -> Event:
    """One VEVENT."""
    from icalendar import Event

    event = Event()
    event.add("uid", f"{item['id']}.{pair}@boardsheet")
    modified = datetime.fromisoformat(item["modified"])
    event.add("dtstamp", modified)
    event.add("last-modified", modified)
    event.add("summary", item["name"] or "(untitled)")
    if item["day"] is not None:
        day = date.fromisoformat(item["day"])
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
    else:
        start = datetime.fromisoformat(item["start"]).astimezone(UTC)
        event.add("dtstart", start)
        event.add("dtend", start + TIMED_LENGTH)
    lines = [f"List: {item['list']}"]
    if item["labels"]:
        lines.append("Labels: " + ", ".join(item["labels"]))
    if item["url"]:
        lines.append(item["url"])
        event.add("url", item["url"])
    event.add("description", "\n".join(lines))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def feed_ics(pair: str, document: FeedDocument | None, now: datetime) -> bytes:
    """The feed as iCalendar bytes at `now` (archived cards past CANCELLED_KEPT are left out)."""
    from icalendar import Calendar, vDuration

    document = document or {"board": pair, "timezone": "UTC", "events": []}
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", document["board"] or pair)
    calendar.add("x-wr-timezone", document["timezone"])
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    # Outlook's poll hint is a duration too ("PT1H"; [MS-OXCICAL] 2.1.3.1.1.15, "Format: Duration"); an
    # X- property is text to icalendar, which would write str(timedelta), "1:00:00", so give a vDuration.
    calendar.add("x-published-ttl", vDuration(REFRESH))
    for item in document["events"]:
        archived_at = datetime.fromisoformat(item["modified"])
        if item["archived"] and now - archived_at >= CANCELLED_KEPT:
            continue
        calendar.add_component(_event(pair, item, cancelled=item["archived"]))
    return bytes(calendar.to_ical())
