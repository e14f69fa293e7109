"""Shared pieces of the Trello emulator tests: servers, clients and a webhook receiver."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import requests
from fastapi import FastAPI, Request, Response

from connectors.emulators.common import ServerThread
from connectors.emulators.trello.app import create_app
from connectors.emulators.trello.http import Ctx

KEY = "emulator-key"
SECRET = "emulator-secret"
OPS, ALICE, BOB = "token-ops", "token-alice", "token-bob"


@dataclass
class Emulator:
    """A running Trello emulator and its in-process handles."""

    url: str
    app: FastAPI

    @property
    def ctx(self) -> Ctx:
        """The route context (state, actions, dispatcher)."""
        ctx: Ctx = self.app.state.ctx
        return ctx

    def client(self, token: str = OPS) -> httpx.Client:
        """An HTTP client that authenticates with key and token query parameters."""
        return httpx.Client(base_url=self.url, params={"key": KEY, "token": token}, timeout=10.0)


@dataclass
class Receiver:
    """A webhook receiver: answers HEAD 200 and POSTs with the next scripted status (then 200)."""

    url: str
    script: list[int] = field(default_factory=list)
    received: list[tuple[bytes, dict[str, str]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def receiver_app(receiver: Receiver) -> FastAPI:
    """The tiny FastAPI app behind a Receiver."""
    app = FastAPI()

    @app.head("/hook")
    def head() -> Response:
        return Response(status_code=200)

    @app.post("/hook")
    async def post(request: Request) -> Response:
        body = await request.body()
        with receiver.lock:
            receiver.received.append((body, dict(request.headers)))
            status = receiver.script.pop(0) if receiver.script else 200
        return Response(status_code=status)

    @app.head("/refuse")
    def refuse() -> Response:
        return Response(status_code=404)

    return app


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


@contextlib.contextmanager
def running_emulator(**options: Any) -> Iterator[Emulator]:
    """An emulator on an ephemeral port, fast webhook retries unless told otherwise."""
    app = create_app(**({"webhook_retry_backoff": 0.01} | options))
    with ServerThread(app) as server:
        yield Emulator(server.url, app)


@contextlib.contextmanager
def running_receiver() -> Iterator[Receiver]:
    """A webhook receiver on an ephemeral port."""
    holder = Receiver(url="")
    with ServerThread(receiver_app(holder)) as server:
        holder.url = server.url + "/hook"
        yield holder


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    """A fresh emulator for one test."""
    with running_emulator() as emu:
        yield emu


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A fresh webhook receiver for one test."""
    with running_receiver() as holder:
        yield holder
