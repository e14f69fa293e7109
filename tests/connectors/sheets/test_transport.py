"""SheetsConnector retries, back-off and client-side limits against the Sheets emulator over real HTTP."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import google.auth.credentials
import google.auth.transport
import pytest
from google.auth import _exponential_backoff

from connectors.errors import AuthError, RateLimited, Transient
from connectors.sheets.auth import service_account_credentials
from connectors.sheets.client import SheetsConnector
from connectors.sheets.limiters import sheets_limiters
from tests.support.clock import FakeClock
from tests.support.service_account import CLIENT_EMAIL, write_key_file
from tests.support.sheets_emulator import SheetsEmulator, running_sheets

pytestmark = pytest.mark.http  # the Sheets emulator over loopback


def key_file_credentials(sheets_emulator: SheetsEmulator, tmp_path: Path, pem: str) -> Any:
    """Service-account credentials whose token endpoint is the emulator's."""
    return service_account_credentials(str(write_key_file(tmp_path, pem, f"{sheets_emulator.url}/token")))


def statuses(sheets_emulator: SheetsEmulator) -> list[int]:
    return [entry["status"] for entry in sheets_emulator.requests()]


class RejectedCredentials(google.auth.credentials.Credentials):
    """Credentials that never send a bearer token, so the API answers 401 (refresh is a no-op)."""

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.token = "never-sent"
        self.refreshes = 0

    def refresh(self, request: Any) -> None:
        self.refreshes += 1

    def apply(self, headers: Any, token: str | None = None) -> None:
        pass


def test_401_is_not_retried_and_raises_auth_error(sheets_emulator: SheetsEmulator) -> None:
    clock = FakeClock()
    credentials = RejectedCredentials()
    sheets = SheetsConnector(credentials, api_url=sheets_emulator.url, retry_seconds=30.0, sleep=clock.sleep)

    with pytest.raises(AuthError) as caught:
        sheets.read_tab("any-spreadsheet", "Calendar")

    assert caught.value.status == 401
    assert clock.sleeps == []
    assert sheets.requests_made == 1
    # google-auth itself refreshes and repeats the call a bounded number of times; we add nothing.
    attempts = 1 + google.auth.transport.DEFAULT_MAX_REFRESH_ATTEMPTS
    assert credentials.refreshes == attempts - 1
    assert statuses(sheets_emulator) == [401] * attempts


def test_a_429_storm_backs_off_and_succeeds(sheets_emulator: SheetsEmulator) -> None:
    sheets = sheets_emulator.connector()
    spreadsheet_id = sheets.create_spreadsheet("Storm", ["Calendar"])
    sheets_emulator.clear()
    sheets_emulator.faults.rate_limit_rate = 1.0

    def calm() -> None:
        sheets_emulator.faults.rate_limit_rate = 0.0

    clock = FakeClock().after_sleeps(3, calm)
    storm = sheets_emulator.connector(retry_seconds=30.0, sleep=clock.sleep)
    tab = storm.read_tab(spreadsheet_id, "Calendar")

    assert tab.title == "Calendar"
    assert statuses(sheets_emulator) == [429, 429, 429, 200]
    assert storm.requests_made == 4
    assert len(clock.sleeps) == 3
    assert all(wait > 0 for wait in clock.sleeps)


def test_503s_on_a_read_are_retried_then_succeed(sheets_emulator: SheetsEmulator) -> None:
    sheets = sheets_emulator.connector()
    spreadsheet_id = sheets.create_spreadsheet("Flaky", ["Calendar"])
    sheets_emulator.clear()
    sheets_emulator.faults.error_rate = 1.0

    def heal() -> None:
        sheets_emulator.faults.error_rate = 0.0

    flaky = sheets_emulator.connector(sleep=FakeClock().after_sleeps(2, heal).sleep)
    assert flaky.read_tab(spreadsheet_id, "Calendar").title == "Calendar"
    assert statuses(sheets_emulator) == [503, 503, 200]


def test_a_write_is_never_resent_after_an_answer_that_may_follow_its_success(
    sheets_emulator: SheetsEmulator,
) -> None:
    # A 5xx or a timeout can come after Google applied a batch; resending would delete rows twice.
    sheets = sheets_emulator.connector()
    spreadsheet_id = sheets.create_spreadsheet("Flaky", ["Calendar"])
    sheets_emulator.clear()
    sheets_emulator.faults.error_rate = 1.0
    flaky = sheets_emulator.connector(sleep=FakeClock().after_sleeps(5, lambda: None).sleep)
    with pytest.raises(Transient):
        flaky.batch_update(spreadsheet_id, [{"addSheet": {"properties": {"title": "New"}}}])
    assert statuses(sheets_emulator) == [503]


def test_a_throttled_write_is_retried_since_429_means_not_applied(sheets_emulator: SheetsEmulator) -> None:
    sheets = sheets_emulator.connector()
    spreadsheet_id = sheets.create_spreadsheet("Throttled", ["Calendar"])
    sheets_emulator.clear()
    sheets_emulator.faults.rate_limit_rate = 1.0

    def calm() -> None:
        sheets_emulator.faults.rate_limit_rate = 0.0

    throttled = sheets_emulator.connector(sleep=FakeClock().after_sleeps(2, calm).sleep)
    answer = throttled.batch_update(spreadsheet_id, [{"addSheet": {"properties": {"title": "New"}}}])
    assert answer["replies"][0]["addSheet"]["properties"]["title"] == "New"
    assert statuses(sheets_emulator) == [429, 429, 200]


def test_a_storm_outlasting_the_budget_raises_rate_limited(sheets_emulator: SheetsEmulator) -> None:
    sheets = sheets_emulator.connector()
    spreadsheet_id = sheets.create_spreadsheet("Endless storm", ["Calendar"])
    sheets_emulator.faults.rate_limit_rate = 1.0
    clock = FakeClock()

    with pytest.raises(RateLimited) as caught:
        sheets_emulator.connector(retry_seconds=3.0, sleep=clock.sleep).read_tab(spreadsheet_id, "Calendar")

    assert caught.value.status == 429
    assert 0 < sum(clock.sleeps) <= 3.0


def test_the_emulator_quota_429_is_reported_as_rate_limited() -> None:
    with running_sheets(quota_per_minute=2) as sheets_emulator:
        sheets = sheets_emulator.connector(retry_seconds=2.0, sleep=FakeClock().sleep)
        spreadsheet_id = sheets.create_spreadsheet("Quota", ["Calendar"])
        sheets.read_tab(spreadsheet_id, "Calendar")
        sheets.read_tab(spreadsheet_id, "Calendar")

        with pytest.raises(RateLimited):
            sheets.read_tab(spreadsheet_id, "Calendar")


def test_an_unreachable_endpoint_is_transient(sheets_emulator: SheetsEmulator) -> None:
    url = sheets_emulator.url
    sheets_emulator.server.stop()
    clock = FakeClock()
    sheets = SheetsConnector(RejectedCredentials(), api_url=url, retry_seconds=2.0, sleep=clock.sleep)

    with pytest.raises(Transient) as caught:
        sheets.tabs("anything")

    # What happened and where, not which Python class failed.
    assert str(caught.value).startswith(f"Sheets API at {url}: connection refused (")
    assert clock.sleeps


def test_connectors_of_one_user_share_one_client_side_limit(
    sheets_emulator: SheetsEmulator, tmp_path: Path, private_key_pem: str
) -> None:
    # Google meters the per-minute quota per user, so two pairs' connectors must count against one limit.
    first, second = (
        SheetsConnector(
            key_file_credentials(sheets_emulator, tmp_path, private_key_pem),
            api_url=sheets_emulator.url,
            requests_per_minute=50,
        )
        for _ in range(2)
    )

    spreadsheet_id = first.create_spreadsheet("Shared limit", ["Calendar"])
    second.read_tab(spreadsheet_id, "Calendar")
    second.tabs(spreadsheet_id)

    limiters = sheets_limiters(CLIENT_EMAIL, sheets_emulator.url, 50)
    assert (first.requests_made, second.requests_made) == (1, 2)
    # One create (a write) and two reads, each in its kind's bucket, both connectors' in the same ones.
    assert {kind: limiter.in_window() for kind, limiter in limiters.items()} == {"read": 2, "write": 1}
    other = sheets_limiters("someone-else@example.com", sheets_emulator.url, 50)
    assert [limiter.in_window() for limiter in other.values()] == [0, 0]


def test_a_token_endpoint_outage_is_retried_like_any_transient_failure(
    sheets_emulator: SheetsEmulator, tmp_path: Path, private_key_pem: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # google-auth retries its token request itself with real sleeps; make those instant for the test.
    monkeypatch.setattr(_exponential_backoff, "time", SimpleNamespace(sleep=lambda _s: None))
    credentials = key_file_credentials(sheets_emulator, tmp_path, private_key_pem)
    sheets_emulator.faults.error_rate = 1.0

    def heal() -> None:
        sheets_emulator.faults.error_rate = 0.0

    sheets = SheetsConnector(
        credentials, api_url=sheets_emulator.url, sleep=FakeClock().after_sleeps(1, heal).sleep
    )
    spreadsheet_id = sheets.create_spreadsheet("After the outage", ["Calendar"])

    assert spreadsheet_id
    log = [(e["path"], e["status"]) for e in sheets_emulator.requests()]
    assert log[-2:] == [("/token", 200), ("/v4/spreadsheets", 200)]
    assert {status for path, status in log[:-2]} == {503}
    assert sheets.requests_made == 2


def test_a_token_endpoint_outage_outlasting_the_budget_is_transient(
    sheets_emulator: SheetsEmulator, tmp_path: Path, private_key_pem: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_exponential_backoff, "time", SimpleNamespace(sleep=lambda _s: None))
    credentials = key_file_credentials(sheets_emulator, tmp_path, private_key_pem)
    sheets_emulator.faults.error_rate = 1.0

    with pytest.raises(Transient, match="token endpoint"):
        SheetsConnector(
            credentials, api_url=sheets_emulator.url, retry_seconds=2.0, sleep=FakeClock().sleep
        ).tabs("any")
