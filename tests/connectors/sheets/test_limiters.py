"""Sheets reads and writes are limited in separate buckets, per user and per project, as Google meters them.

Google's quotas are per kind: 60 read requests and 60 write requests a minute per user, 300 of each per
project (https://developers.google.com/workspace/sheets/api/limits). A run reads once and writes once.
"""

from __future__ import annotations

import uuid
from typing import Any

import google.oauth2.credentials
import httplib2
import pytest
from googleapiclient.errors import HttpError

from connectors.drive.client import drive_limiter
from connectors.errors import ConnectorError
from connectors.limits import RateLimiter
from connectors.sheets.limiters import KINDS, SHEETS_BURST, SHEETS_PERIOD, project_limiters, sheets_limiters
from connectors.sheets.transport import SheetsTransport
from tests.support.clock import FakeClock


class FakeRequest:
    """A googleapiclient request that answers without the network (after `refusals` 429s, if any)."""

    def __init__(self, method: str, refusals: int = 0, retry_after: str = "30") -> None:
        self.method = method
        self._refusals = refusals
        self._retry_after = retry_after

    def execute(self, *, http: Any, num_retries: int) -> dict[str, Any]:
        if self._refusals:
            self._refusals -= 1
            answer = httplib2.Response({"status": 429, "retry-after": self._retry_after})
            raise HttpError(answer, b"{}")
        return {}


def transport(limiters: Any, clock: FakeClock, service: str = "sheets") -> SheetsTransport:
    credentials = google.oauth2.credentials.Credentials(token="t")  # type: ignore[no-untyped-call]
    return SheetsTransport(credentials, limiters, retry_seconds=0.0, sleep=clock.sleep, service=service)


def by_kind(clock: FakeClock, per_minute: int = 60) -> dict[str, RateLimiter]:
    """A user's limiters as sheets_limiters makes them, on the fake clock."""
    burst = min(per_minute, SHEETS_BURST)
    return {
        kind: RateLimiter(per_minute, SHEETS_PERIOD, burst=burst, clock=clock, sleep=clock.sleep)
        for kind in KINDS
    }


def test_a_user_makes_a_minute_of_reads_and_a_minute_of_writes_in_one_minute() -> None:
    clock = FakeClock()
    sheets = transport(by_kind(clock), clock)
    start = clock()
    for _ in range(60):  # 60 runs: one read and one write each
        sheets.execute(FakeRequest("GET"), "a read")
        sheets.execute(FakeRequest("POST"), "a write")
    # One shared bucket of 60 would have needed a second minute for the 120 requests.
    assert clock() - start < 60.0
    assert sheets.requests_made == 120


def test_the_61st_read_waits_while_a_write_still_goes() -> None:
    clock = FakeClock()
    sheets = transport(by_kind(clock), clock)
    start = clock()
    for _ in range(60):
        sheets.execute(FakeRequest("GET"), "a read")
    full = clock()
    sheets.execute(FakeRequest("POST"), "a write")
    assert clock() == full  # the write bucket had room: no wait
    sheets.execute(FakeRequest("GET"), "the 61st read")
    assert clock() == start + 60.0  # waited for the first read to leave the minute


def test_each_kind_has_its_own_project_bucket_binding_across_users() -> None:
    url = f"https://sheets.test/{uuid.uuid4()}"
    project = project_limiters("project-" + url, url, 3)
    alpha = sheets_limiters("alpha@" + url, url, 2, project)
    beta = sheets_limiters("beta@" + url, url, 2, project)
    assert {kind: alpha[kind].parent for kind in KINDS} == project
    assert alpha["read"] is not alpha["write"] and project["read"] is not project["write"]
    assert sheets_limiters("alpha@" + url, url, 2) == alpha  # the same user's limiters, shared
    assert [alpha["read"].try_acquire(), alpha["read"].try_acquire(), beta["read"].try_acquire()] == [
        True
    ] * 3
    assert not beta["read"].try_acquire()  # beta has room of its own, the project's reads have none
    assert beta["write"].try_acquire()  # the project's writes do
    assert [limiter.in_window() for limiter in project.values()] == [3, 1]


def test_a_throttled_write_holds_the_writes_only() -> None:
    clock = FakeClock()
    sheets = transport(by_kind(clock), clock)
    with pytest.raises(ConnectorError):
        sheets.execute(FakeRequest("POST", refusals=1), "a write", idempotent=False)
    held = clock()
    sheets.execute(FakeRequest("GET"), "a read")
    assert clock() == held  # Google named the write quota: reads go on
    sheets.execute(FakeRequest("POST"), "the next write")
    assert clock() == held + 30.0  # the write waited out the Retry-After


def test_drive_keeps_one_limiter_for_every_kind_and_a_429_holds_it() -> None:
    url = f"https://drive.test/{uuid.uuid4()}"
    assert isinstance(drive_limiter("someone@" + url, url), RateLimiter)
    clock = FakeClock()
    drive = transport(RateLimiter(2, 60.0, clock=clock, sleep=clock.sleep), clock, service="drive")
    start = clock()
    drive.execute(FakeRequest("GET"), "a read")
    drive.execute(FakeRequest("POST"), "a write")
    drive.execute(FakeRequest("GET"), "a third")
    assert clock() == start + 60.0  # reads and writes in one bucket of two
    roomy = transport(RateLimiter(100, 60.0, clock=clock, sleep=clock.sleep), clock, service="drive")
    with pytest.raises(ConnectorError):
        roomy.execute(FakeRequest("POST", refusals=1), "a write", idempotent=False)
    held = clock()
    roomy.execute(FakeRequest("GET"), "a read")
    assert clock() == held + 30.0  # the one limiter held every kind
