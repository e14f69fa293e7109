"""GET /calendar/{pair}.ics?token=...: the stored feed with the pair's token; the same 404 otherwise."""

from __future__ import annotations

from collections.abc import Callable

import icalendar
import pytest
from fastapi.testclient import TestClient

from app.core.calendar_feed import feed_token
from app.main import create_app
from app.runtime.calendar import feed_url
from app.runtime.wiring import Services
from tests.support.services import FakeRunner, FakeTrello

SECRET = "feed-secret-0123456789-abcdefghij-klmnop"
DOCUMENT = {
    "board": "Social calendar",
    "timezone": "Europe/Paris",
    "events": [
        {
            "id": "c1",
            "name": "Launch",
            "list": "Review",
            "labels": ["Video"],
            "url": "https://trello.com/c/c1",
            "day": None,
            "start": "2027-03-14T08:30:00+00:00",
            "modified": "2027-03-01T08:00:00+00:00",
            "archived": False,
        }
    ],
}


@pytest.fixture
def services(make: Callable[..., Services]) -> Services:
    built = make(calendar_secret=SECRET)
    built.store.save_feed("alpha", DOCUMENT)
    return built


def test_the_feed_with_its_token(services: Services) -> None:
    client = TestClient(create_app(services=services))
    response = client.get(f"/calendar/alpha.ics?token={feed_token(SECRET, 'alpha')}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    (event,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert (str(event["summary"]), str(event["uid"])) == ("Launch", "c1.alpha@boardsheet")


def test_the_feed_is_served_from_the_last_board_read_never_calling_trello(
    make: Callable[..., Services],
) -> None:
    # Issue 12 §3: calendar clients poll often; a request must not cost a Trello read nor start a run.
    trello, runner = FakeTrello(), FakeRunner()
    built = make(calendar_secret=SECRET, trello=trello, runner=runner)
    built.store.save_feed("alpha", DOCUMENT)
    client = TestClient(create_app(services=built))
    for _ in range(3):
        assert client.get(f"/calendar/alpha.ics?token={feed_token(SECRET, 'alpha')}").status_code == 200
    assert trello.calls == [] and runner.ran == []


def test_a_pair_without_a_run_yet_is_an_empty_calendar(services: Services) -> None:
    client = TestClient(create_app(services=services))
    response = client.get(f"/calendar/beta.ics?token={feed_token(SECRET, 'beta')}")
    assert response.status_code == 200
    assert icalendar.Calendar.from_ical(response.content).walk("VEVENT") == []


@pytest.mark.parametrize(
    "path",
    [
        "/calendar/alpha.ics",
        "/calendar/alpha.ics?token=",
        "/calendar/alpha.ics?token=wrong",
        f"/calendar/alpha.ics?token={feed_token(SECRET, 'beta')}",  # another pair's token
        f"/calendar/alpha.ics?token={feed_token('another-secret-0123456789-abcdefgh', 'alpha')}",
        f"/calendar/gamma.ics?token={feed_token(SECRET, 'gamma')}",  # no such pair
        f"/calendar/alpha?token={feed_token(SECRET, 'alpha')}",
    ],
    ids=["no-token", "empty", "wrong", "other-pair", "rotated", "unknown-pair", "no-suffix"],
)
def test_anything_else_is_the_same_404(services: Services, path: str) -> None:
    response = TestClient(create_app(services=services)).get(path)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert "alpha" not in response.text and "Launch" not in response.text


def test_without_the_secret_every_feed_is_404(make: Callable[..., Services]) -> None:
    services = make()
    services.store.save_feed("alpha", DOCUMENT)
    client = TestClient(create_app(services=services))
    assert client.get(f"/calendar/alpha.ics?token={feed_token(SECRET, 'alpha')}").status_code == 404


def test_the_url_to_paste() -> None:
    url = feed_url("https://bs.example.org/", SECRET, "alpha")
    assert url == f"https://bs.example.org/calendar/alpha.ics?token={feed_token(SECRET, 'alpha')}"
