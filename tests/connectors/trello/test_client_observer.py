"""TrelloConnector(observer=...): the status of every response, retries included, reaches the observer."""

from __future__ import annotations

import socket

import pytest

from connectors.errors import AuthError, Transient
from connectors.trello.client import TrelloConnector
from tests.support.trello_emulator import KEY, OPS, TrelloEmulator

pytestmark = pytest.mark.http  # the Trello emulator over loopback

TOKEN = OPS
BAD_TOKEN = "token-nope"


def connector(url: str, seen: list[int], token: str = TOKEN, retry_seconds: float = 20.0) -> TrelloConnector:
    """A connector reporting every status into `seen`, and never really sleeping between attempts."""
    conn = TrelloConnector(KEY, token, api_url=url, retry_seconds=retry_seconds, observer=seen.append)
    conn._session._sleep = lambda _seconds: None
    return conn


def test_the_observer_sees_a_200_and_a_401(trello_emulator: TrelloEmulator) -> None:
    seen: list[int] = []
    connector(trello_emulator.url, seen).me()
    assert seen == [200]
    with pytest.raises(AuthError):
        connector(trello_emulator.url, seen, token=BAD_TOKEN).me()
    assert seen == [200, 401]


def test_retried_answers_are_each_observed(trello_emulator: TrelloEmulator) -> None:
    seen: list[int] = []
    conn = connector(trello_emulator.url, seen)
    trello_emulator.faults.error_rate = 1.0

    def heal(_seconds: float) -> None:
        trello_emulator.faults.error_rate = 0.0

    conn._session._sleep = heal
    conn.me()
    assert seen == [503, 200]


def test_a_connection_failure_is_observed_as_status_0() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    seen: list[int] = []
    # Nothing listens on that port any more: every attempt is refused.
    with pytest.raises(Transient):
        connector(f"http://127.0.0.1:{port}", seen, retry_seconds=2.0).me()
    assert len(seen) >= 2 and set(seen) == {0}
