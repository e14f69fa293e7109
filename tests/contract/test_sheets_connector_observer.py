"""SheetsConnector(observer=...): the status of every response, retries included, reaches the observer."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator

import google.auth.credentials
import google.oauth2.credentials
import pytest

from connectors.emulators.common import Faults, ServerThread
from connectors.emulators.sheets.app import create_app
from connectors.errors import AuthError, Transient
from connectors.sheets.client import SheetsConnector


@pytest.fixture
def emulator() -> Iterator[tuple[ServerThread, Faults]]:
    faults = Faults(seed=7)
    with ServerThread(create_app(faults=faults, quota_per_minute=None)) as server:
        yield server, faults


def connector(
    url: str,
    seen: list[int],
    credentials: google.auth.credentials.Credentials | None = None,
    sleep: Callable[[float], None] = lambda _seconds: None,
) -> SheetsConnector:
    """A connector with a bearer token the emulator accepts, reporting every status into `seen`."""
    if credentials is None:
        credentials = google.oauth2.credentials.Credentials(token="test-token")  # type: ignore[no-untyped-call]
    return SheetsConnector(
        credentials,
        api_url=url,
        retry_seconds=2.0,
        requests_per_minute=10_000,
        sleep=sleep,
        observer=seen.append,
    )


def test_the_observer_sees_a_200_and_a_401(emulator: tuple[ServerThread, Faults]) -> None:
    server, _ = emulator
    seen: list[int] = []
    sheets = connector(server.url, seen)
    spreadsheet_id = sheets.create_spreadsheet("Book", ["Calendar"])
    sheets.tabs(spreadsheet_id)
    assert seen == [200, 200]
    # No Authorization header at all: the emulator answers 401, as Google does.
    anonymous = google.auth.credentials.AnonymousCredentials()  # type: ignore[no-untyped-call]
    with pytest.raises(AuthError):
        connector(server.url, seen, anonymous).tabs(spreadsheet_id)
    assert seen == [200, 200, 401]


def test_retried_answers_are_each_observed(emulator: tuple[ServerThread, Faults]) -> None:
    server, faults = emulator
    seen: list[int] = []

    def heal(_seconds: float) -> None:
        faults.error_rate = 0.0

    sheets = connector(server.url, seen, sleep=heal)
    book = sheets.create_spreadsheet("Book", ["Calendar"])
    seen.clear()
    faults.error_rate = 1.0
    assert [tab["title"] for tab in sheets.tabs(book)] == ["Calendar"]  # a read: retried after the 503
    assert seen == [503, 200]


def test_a_connection_failure_is_observed_as_status_0() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    seen: list[int] = []
    # Nothing listens on that port any more: every attempt is refused.
    with pytest.raises(Transient):
        connector(f"http://127.0.0.1:{port}", seen).tabs("any")
    assert len(seen) >= 2 and set(seen) == {0}
