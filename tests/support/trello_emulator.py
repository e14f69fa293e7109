"""The Trello emulator in tests: one factory, its fixtures, its handles, and a webhook receiver.

Every test that needs a Trello emulator gets it here: the `trello_emulator` fixture (fresh for one test,
fast webhook retries), `shared_trello_emulator` (one per test module, no rate limits: a module's volume is
no rate test), or `running_trello(...)` for a test that needs its own options.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import requests
from fastapi import FastAPI, Request, Response

from connectors.emulators.common import Faults, ServerThread
from connectors.emulators.trello.app import create_app
from connectors.emulators.trello.http import Ctx
from connectors.emulators.trello.state import TrelloState
from connectors.trello.client import TrelloConnector

# The emulator's default credentials (docs/emulators.md).
KEY = "emulator-key"
SECRET = "emulator-secret"
OPS, ALICE, BOB = "token-ops", "token-alice", "token-bob"
FAST_RETRIES = {"webhook_retry_backoff": 0.01}  # webhook retries a test does not wait a second for


@dataclass
class TrelloEmulator:
    """A running Trello emulator: its URL, its in-process app, its fault switches and its server."""

    url: str
    app: FastAPI
    faults: Faults
    server: ServerThread  # stop() it to make the URL unreachable

    @property
    def ctx(self) -> Ctx:
        """The route context (state, actions, dispatcher)."""
        ctx: Ctx = self.app.state.ctx
        return ctx

    @property
    def state(self) -> TrelloState:
        """The emulator's boards, cards and webhooks."""
        state: TrelloState = self.app.state.trello
        return state

    def client(self, token: str = OPS) -> httpx.Client:
        """An HTTP client that authenticates with key and token query parameters."""
        return httpx.Client(base_url=self.url, params={"key": KEY, "token": token}, timeout=10.0)

    def connector(self, token: str = OPS, key: str = KEY, retry_seconds: float = 20.0) -> TrelloConnector:
        """A connector keeping its real back-off schedule and budget (on the asked waits), waiting briefly."""
        conn = TrelloConnector(key, token, api_url=self.url, retry_seconds=retry_seconds)
        conn._session._sleep = lambda seconds: time.sleep(min(seconds, 0.02))
        return conn

    def requests(self) -> list[dict[str, Any]]:
        """The request log, oldest first, read over HTTP as an outside observer would."""
        entries: list[dict[str, Any]] = requests.get(f"{self.url}/_emulator/requests", timeout=10).json()
        return entries

    def clear(self) -> None:
        """Forget the request log."""
        requests.delete(f"{self.url}/_emulator/requests", timeout=10)


@contextmanager
def running_trello(**options: Any) -> Iterator[TrelloEmulator]:
    """An emulator on an ephemeral port: create_app's defaults and seeded faults, unless told otherwise."""
    faults: Faults = options.setdefault("faults", Faults(seed=7))
    app = create_app(**options)
    with ServerThread(app) as server:
        yield TrelloEmulator(server.url, app, faults, server)


@pytest.fixture
def trello_emulator() -> Iterator[TrelloEmulator]:
    """A fresh Trello emulator for one test, retrying webhooks fast."""
    with running_trello(**FAST_RETRIES) as emulator:
        yield emulator


@pytest.fixture(scope="module")
def shared_trello_emulator() -> Iterator[TrelloEmulator]:
    """One Trello emulator for every test of a module (each builds its own boards), without rate limits."""
    with running_trello(rate_limits=False, **FAST_RETRIES) as emulator:
        yield emulator


@dataclass
class Receiver:
    """A webhook receiver: HEAD answers 200 (404 on /refuse), POSTs the next scripted status (then 200)."""

    base: str  # any path under it receives; `url` is the usual one
    script: list[int] = field(default_factory=list)
    received: list[tuple[bytes, dict[str, str]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        """The callback URL tests register."""
        return self.base + "/hook"


def receiver_app(receiver: Receiver) -> FastAPI:
    """The tiny FastAPI app behind a Receiver."""
    app = FastAPI()

    @app.head("/refuse")
    def refuse() -> Response:
        return Response(status_code=404)

    @app.head("/{path:path}")
    def head(path: str) -> Response:
        return Response(status_code=200)

    @app.post("/{path:path}")
    async def post(path: str, request: Request) -> Response:
        body = await request.body()
        with receiver.lock:
            receiver.received.append((body, dict(request.headers)))
            status = receiver.script.pop(0) if receiver.script else 200
        return Response(status_code=status)

    return app


@contextmanager
def running_receiver() -> Iterator[Receiver]:
    """A webhook receiver on an ephemeral port."""
    holder = Receiver(base="")
    with ServerThread(receiver_app(holder)) as server:
        holder.base = server.url
        yield holder


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A fresh webhook receiver for one test."""
    with running_receiver() as holder:
        yield holder


@pytest.fixture(scope="module")
def shared_receiver() -> Iterator[Receiver]:
    """One webhook receiver for every test of a module: any public URL that must answer Trello's checks."""
    with running_receiver() as holder:
        yield holder


class EmulatorSession(requests.Session):
    """A requests.Session that sends py-trello's api.trello.com and trello.com calls to the emulator."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        self.base_url = base_url

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        """Rewrite the host, then send as usual."""
        text = url.decode() if isinstance(url, bytes) else url
        for host in ("https://api.trello.com", "https://trello.com"):
            if text.startswith(host):
                text = self.base_url + text[len(host) :]
        return super().request(method, text, *args, **kwargs)
