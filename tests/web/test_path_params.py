"""Every path parameter of every route is checked before it reaches the runtime or the store.

Issue 13, section 2: a plan id out of the store's range answered 500 on SQLite and 503 on PostgreSQL. Ids
are now plain digits, pair names look like pair names; anything else is the same 404 as an unknown one in
plain words (it was a 422 quoting the validator's regex), and the check below walks every route the app
serves, so a new route cannot skip it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.runtime.wiring import Services
from app.web.params import is_pair_name
from tests.support.services import ADMIN_TOKEN

AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
CALENDAR_SECRET = "feed-secret-0123456789-abcdefghij-klmnop"
# Encoded as they travel in a URL: NUL, a long name, upper case, a dot-dot, a space, invalid UTF-8, a
# newline after a valid name, a lone surrogate, and the number spellings int() forgives (a minus included).
MALFORMED = [
    "%00",
    "a" * 201,
    "Alpha",
    "..",
    "al%20pha",
    "%FF",
    "alpha%0A",
    "%ED%A0%80",
    "1_0",
    "%201",
    "+1",
    "-1",
]


class Unreachable:
    """Stands in for the store's engine: any use of it fails the test (a 500, asserted below)."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"a malformed path parameter reached the store ({name})")


@pytest.fixture
def services(make: Callable[..., Services]) -> Iterator[Services]:
    built = make(admin_token=ADMIN_TOKEN, public_url="https://bs.example", calendar_secret=CALENDAR_SECRET)
    engine = built.store.engine
    built.store._engine = Unreachable()  # type: ignore[assignment]
    yield built
    built.store._engine = engine


def parameter_routes(services: Services) -> list[tuple[str, str]]:
    """(method, path) of every route with a path parameter, from the app's own OpenAPI document."""
    paths = create_app(services=services).openapi()["paths"]
    return [(method.upper(), path) for path, item in paths.items() if "{" in path for method in item]


def test_the_routes_with_path_parameters_are_all_known(services: Services) -> None:
    # Admin and calendar routes; a new one joins this list, and so the malformed-value check below.
    assert parameter_routes(services) == [
        ("POST", "/admin/pairs/{pair}/sync"),
        ("POST", "/admin/pairs/{pair}/pause"),
        ("POST", "/admin/pairs/{pair}/resume"),
        ("POST", "/admin/plans/{plan_id}/approve"),
        ("GET", "/calendar/{pair}.ics"),
    ]


@pytest.mark.parametrize("value", MALFORMED)
def test_a_malformed_path_parameter_is_404_in_plain_words(services: Services, value: str) -> None:
    client = TestClient(create_app(services=services), raise_server_exceptions=False)
    for method, path in parameter_routes(services):
        url = path.replace("{pair}", value).replace("{plan_id}", value) + "?token=abc"
        answer = client.request(method, url, headers=AUTH)
        body = answer.json()
        assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, (url, body)
        if path.startswith("/calendar/"):
            assert (answer.status_code, body["error"]["code"]) == (404, "not_found"), (url, body)
        else:
            assert answer.status_code == 404, (url, body)
        # The message never echoes a long value, nor the validator's pattern or wording.
        message = body["error"]["message"]
        assert "a" * 201 not in message and "^" not in message and "String should" not in message, message
        if "{plan_id}" in path or not is_pair_name(value):  # a well-formed unknown pair is named back
            assert value not in message, message  # never the value (docs/reliability.md, Bad input)


@pytest.mark.parametrize(
    "value", ["%00", "a" * 201, "Alpha", "al%20pha", "%FF", "alpha%0A", "%ED%A0%80", "-x"]
)
def test_a_malformed_pair_name_is_404_unknown_pair(services: Services, value: str) -> None:
    client = TestClient(create_app(services=services), raise_server_exceptions=False)
    for action in ("sync", "pause", "resume"):
        answer = client.post(f"/admin/pairs/{value}/{action}", headers=AUTH)
        assert (answer.status_code, answer.json()["error"]["code"]) == (404, "unknown_pair")
        assert answer.json()["error"]["message"].startswith("no pair has that name (a pair name is lowercase")


@pytest.mark.parametrize(
    "value", ["abc", "1_0", "%201", "+1", "-1", "-0", "1e3", "0x1", "%D9%A3", "1.0", "9" * 41]
)
def test_a_plan_id_that_is_not_plain_digits_is_404_unknown_plan(services: Services, value: str) -> None:
    client = TestClient(create_app(services=services), raise_server_exceptions=False)
    answer = client.post(f"/admin/plans/{value}/approve", headers=AUTH)
    assert answer.status_code == 404
    assert answer.json()["error"] == {
        "code": "unknown_plan",
        "message": "no held plan has that id (plan ids are plain digits, as `boardsheet status` lists them)",
    }


def test_well_formed_but_unknown_values_are_404_without_the_store_for_pairs(services: Services) -> None:
    client = TestClient(create_app(services=services), raise_server_exceptions=False)
    answer = client.post("/admin/pairs/gamma/sync", headers=AUTH)
    assert (answer.status_code, answer.json()["error"]["code"]) == (404, "unknown_pair")
    assert client.get("/calendar/gamma.ics?token=abc").status_code == 404


def test_the_admin_token_is_checked_before_the_parameters(services: Services) -> None:
    client = TestClient(create_app(services=services), raise_server_exceptions=False)
    assert client.post("/admin/pairs/%00/sync").status_code == 401
