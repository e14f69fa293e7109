"""The calendar feed: two independent parsers, stable UIDs, all-day and timed events, cancellations."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import icalendar
import vobject

from app.core.calendar_feed import CANCELLED_KEPT, feed_document, feed_ics, feed_token, token_matches
from app.core.decode import board_from_json
from app.core.model import Board
from tests.support.boardjson import board, card, policy

NOW = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)


def make(*cards: dict[str, Any]) -> Board:
    return board_from_json(board(list(cards)))


def cards() -> list[dict[str, Any]]:
    return [
        card("c1", "Timed; with, commas", due="2027-03-14T08:30:00.000Z", idLabels=["lb1", "lb2"]),
        card("c2", "All day", due="2027-03-19T23:00:00.000Z"),  # midnight in Paris: the 20th, all day
        card("c3", "No date"),
        card("c4", "Other list", due="2027-03-15T08:00:00.000Z", idList="l3"),
    ]


def feed(*raw: dict[str, Any], now: datetime = NOW, **filters: Any) -> bytes:
    document = feed_document(make(*raw), policy(**filters), "due", "Europe/Paris")
    return feed_ics("social", document, now)


def events(body: bytes) -> dict[str, icalendar.Event]:
    return {str(event["summary"]): event for event in icalendar.Calendar.from_ical(body).walk("VEVENT")}


def test_the_feed_parses_with_icalendar_and_with_vobject() -> None:
    body = feed(*cards(), lists=("Drafting", "Review"))
    parsed = icalendar.Calendar.from_ical(body)
    assert str(parsed["x-wr-calname"]) == "Social calendar"
    assert str(parsed["x-wr-timezone"]) == "Europe/Paris"
    other = vobject.readOne(body.decode())
    summaries = sorted(str(event.summary.value) for event in other.vevent_list)
    assert summaries == ["All day", "Timed; with, commas"]  # no date, filtered list: left out


def test_timed_and_all_day_events() -> None:
    found = events(feed(*cards()))
    timed = found["Timed; with, commas"]
    start = timed.decoded("dtstart")
    assert start == datetime(2027, 3, 14, 8, 30, tzinfo=UTC)  # 09:30 in Paris
    assert "TZID" not in timed["dtstart"].params
    assert timed.decoded("dtend") - start == timedelta(minutes=30)
    assert str(timed["url"]) == "https://trello.com/c/c1/x"
    assert str(timed["description"]) == "List: Drafting\nLabels: Urgent, Video\nhttps://trello.com/c/c1/x"
    all_day = found["All day"]
    assert all_day.decoded("dtstart") == date(2027, 3, 20)
    assert all_day.decoded("dtend") == date(2027, 3, 21)
    assert str(all_day["status"]) == "CONFIRMED"


def test_timed_events_are_utc_with_no_vtimezone_so_no_1970_to_2038_comment() -> None:
    """RFC 5545 3.3.5 form #2 (UTC) needs no VTIMEZONE (3.6.5); icalendar's generated one ends in 2038."""
    later = card("c9", "Summer 2040", due="2040-07-01T08:00:00.000Z")
    body = feed(*cards(), later)
    assert b"VTIMEZONE" not in body and b"1970" not in body and b"2038" not in body
    assert b"DTSTART:20400701T080000Z" in body and b"DTSTART:20270314T083000Z" in body
    other = {str(e.summary.value): e for e in vobject.readOne(body.decode()).vevent_list}
    assert other["Summer 2040"].dtstart.value == datetime(2040, 7, 1, 8, 0, tzinfo=UTC)
    assert other["Timed; with, commas"].dtstart.value == datetime(2027, 3, 14, 8, 30, tzinfo=UTC)


def test_uids_are_stable_across_runs_and_distinct_per_card() -> None:
    first = {str(e["summary"]): str(e["uid"]) for e in events(feed(*cards())).values()}
    renamed = cards()
    renamed[0]["name"] = "Renamed"
    renamed[1]["due"] = "2027-03-25T10:00:00.000Z"
    second = {str(e["summary"]): str(e["uid"]) for e in events(feed(*renamed)).values()}
    assert second["Renamed"] == first["Timed; with, commas"] == "c1.social@boardsheet"
    assert second["All day"] == first["All day"] == "c2.social@boardsheet"
    assert feed(*cards()) == feed(*cards())  # nothing in the feed depends on when it is built


def test_an_archived_card_becomes_cancelled_then_disappears() -> None:
    archived = card("c1", "Dropped", due="2027-03-14T08:30:00.000Z", closed=True,
                    dateLastActivity="2027-03-10T09:00:00.000Z")  # fmt: skip
    just_after = events(feed(archived, now=datetime(2027, 3, 10, 9, 5, tzinfo=UTC)))
    assert str(just_after["Dropped"]["status"]) == "CANCELLED"
    assert str(just_after["Dropped"]["uid"]) == "c1.social@boardsheet"  # the same event, now cancelled
    later = datetime(2027, 3, 10, 9, 0, tzinfo=UTC) + CANCELLED_KEPT
    assert events(feed(archived, now=later)) == {}


def test_an_empty_or_missing_document_is_a_valid_empty_calendar() -> None:
    body = feed_ics("social", None, NOW)
    assert icalendar.Calendar.from_ical(body).walk("VEVENT") == []
    vobject.readOne(body.decode())


def test_tokens_are_per_pair_and_per_secret() -> None:
    secret = "s" * 32
    token = feed_token(secret, "social")
    assert token_matches(secret, "social", token)
    assert not token_matches(secret, "other", token)
    assert not token_matches("t" * 32, "social", token)  # a rotated secret revokes every URL
    assert not token_matches(secret, "social", token[:-1])
    assert token.isascii() and "/" not in token and "+" not in token and len(token) == 32


def test_the_poll_hints_are_durations_for_every_client() -> None:
    # Google reads REFRESH-INTERVAL (RFC 7986), Outlook X-PUBLISHED-TTL; both are RFC 5545 durations.
    lines = feed(*cards()).decode().splitlines()
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in lines
    assert "X-PUBLISHED-TTL:PT1H" in lines
