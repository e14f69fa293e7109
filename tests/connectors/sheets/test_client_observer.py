"""SheetsConnector(observer=...): the status of every response, retries included, reaches the observer."""

from __future__ import annotations

import socket
from collections.abc import Callable

import google.auth.credentials
import google.oauth2.credentials
import pytest

from connectors.errors import AuthError, Transient
from connectors.sheets.client import SheetsConnector
from tests.support.sheets_emulator import SheetsEmulator

pytestmark = pytest.mark.http  # the Sheets emulator over loopback


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


def test_the_observer_sees_a_200_and_a_401(sheets_emulator: SheetsEmulator) -> None:
    seen: list[int] = []
    sheets = connector(sheets_emulator.url, seen)
    spreadsheet_id = sheets.create_spreadsheet("Book", ["Calendar"])
    sheets.tabs(spreadsheet_id)
    assert seen == [200, 200]
    # No Authorization header at all: the emulator answers 401, as Google does.
    anonymous = google.auth.credentials.AnonymousCredentials()  # type: ignore[no-untyped-call]
    with pytest.raises(AuthError):
        connector(sheets_emulator.url, seen, anonymous).tabs(spreadsheet_id)
    assert seen == [200, 200, 401]


def test_retried_answers_are_each_observed(sheets_emulator: SheetsEmulator) -> None:
    seen: list[int] = []

    def heal(_seconds: float) -> None:
        sheets_emulator.faults.error_rate = 0.0

    sheets = connector(sheets_emulator.url, seen, sleep=heal)
    book = sheets.create_spreadsheet("Book", ["Calendar"])
    seen.clear()
    sheets_emulator.faults.error_rate = 1.0
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
