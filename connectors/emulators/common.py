"""Pieces both emulators share: the request log, fault injection and a threaded server runner."""

from __future__ import annotations

import asyncio
import random
import socket
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import JSONResponse

EMULATOR_PREFIX = "/_emulator"
BACKLOG = 2048  # connections queued before accept: bursts of webhooks or test clients


@dataclass
class RequestLog:
    """Every request an emulator answered: method, path, status, time (thread-safe)."""

    entries: list[dict[str, Any]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, method: str, path: str, status: int) -> None:
        """Append one answered request."""
        with self._lock:
            self.entries.append({"method": method, "path": path, "status": status, "time": time.time()})

    def snapshot(self) -> list[dict[str, Any]]:
        """A copy of the log, oldest first."""
        with self._lock:
            return list(self.entries)

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self.entries.clear()


@dataclass
class Faults:
    """Fault injection: a share of requests answered 5xx or 429, and latency added to every request."""

    error_rate: float = 0.0
    rate_limit_rate: float = 0.0
    latency: float = 0.0
    seed: int | None = None
    _random: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)

    def draw(self) -> int | None:
        """The status to inject for the next request (503 or 429), or None to answer normally."""
        roll = self._random.random()
        if roll < self.error_rate:
            return 503
        if roll < self.error_rate + self.rate_limit_rate:
            return 429
        return None


FaultBody = Callable[[int], Response]


def install_common(app: FastAPI, log: RequestLog, faults: Faults, fault_body: FaultBody) -> None:
    """Add the request log, fault injection and the /_emulator/requests endpoints to an emulator app."""
    router = APIRouter(prefix=EMULATOR_PREFIX)

    @router.get("/requests")
    def list_requests() -> list[dict[str, Any]]:
        return log.snapshot()

    @router.delete("/requests")
    def clear_requests() -> dict[str, bool]:
        log.clear()
        return {"cleared": True}

    app.include_router(router)

    @app.middleware("http")
    async def log_and_fault(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        path = request.url.path
        if path.startswith(EMULATOR_PREFIX):
            return await call_next(request)
        if faults.latency:
            await asyncio.sleep(faults.latency)
        injected = faults.draw()
        response = fault_body(injected) if injected is not None else await call_next(request)
        log.record(request.method, path, response.status_code)
        return response


def json_error(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> JSONResponse:
    """A JSON error answer."""
    return JSONResponse(status_code=status, content=body, headers=headers)


class ServerThread:
    """Runs an ASGI app with uvicorn in a daemon thread on 127.0.0.1 (port 0 picks a free port).

    The socket listens from construction on, so `url` is known before the app is built and early clients
    queue instead of being refused (Trello checks a webhook's callback while the service is starting).
    `lifespan=True` runs the app's startup and shutdown (the service's coordinators); emulators need none.
    """

    def __init__(
        self,
        app: Any = None,
        port: int = 0,
        host: str = "127.0.0.1",
        *,
        lifespan: bool = False,
        start_timeout: float = 30.0,
        stop_timeout: float = 10.0,
    ) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # Without it, Nagle's algorithm and delayed ACKs add ~40 ms to every small loopback request.
        self._socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._socket.bind((host, port))
        self._socket.listen(BACKLOG)
        self.host = host
        self.port: int = self._socket.getsockname()[1]
        self._app = app
        self._lifespan = lifespan
        self._timeouts = (start_timeout, stop_timeout)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The server's base URL, without a trailing slash."""
        return f"http://{self.host}:{self.port}"

    def start(self, app: Any = None) -> ServerThread:
        """Serve `app` (or the one given at construction) and wait until it is ready."""
        config = uvicorn.Config(
            app if app is not None else self._app,
            # Our logging stays as configured; uvicorn says only what is wrong (access lines quote paths,
            # and Trello's webhook paths carry the token).
            log_config=None,
            log_level="warning",
            access_log=False,
            backlog=BACKLOG,
            lifespan="on" if self._lifespan else "off",
        )
        server = self._server = uvicorn.Server(config)
        thread = self._thread = threading.Thread(
            target=server.run, kwargs={"sockets": [self._socket]}, name=f"server:{self.port}", daemon=True
        )
        thread.start()
        deadline = time.monotonic() + self._timeouts[0]
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError(f"server on port {self.port} did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        """Ask the server to finish (running the lifespan's shutdown), wait for it, close the socket."""
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=self._timeouts[1])
        self._socket.close()

    def __enter__(self) -> ServerThread:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
