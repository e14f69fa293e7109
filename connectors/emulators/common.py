"""Pieces both emulators share: the request log, fault injection and a threaded server runner."""

from __future__ import annotations

import random
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import uvicorn
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


FAULT_FIELDS = ("error_rate", "rate_limit_rate", "lost_answer_rate", "latency", "write_delay")
SECONDS = ("latency", "write_delay")  # the fault fields that are durations, not shares
LOST_ANSWERS = ("503", "drop")


@dataclass
class Faults:
    """Fault injection, changeable while the emulator runs (PUT /_emulator/faults).

    `error_rate` and `rate_limit_rate`: shares of requests answered 503 / 429 without being applied.
    `lost_answer_rate`: share of writes (not GET/HEAD) that ARE applied but whose answer is lost, as
    `lost_answer` says: "503" (a 503 after the change) or "drop" (the connection closes with no answer).
    `latency`: seconds added to every request, before it is answered or applied (a hung read).
    `write_delay`: seconds a write's answer is held after it is applied, as a server still busy with a
    big batch answers late: a client that stops waiting sooner reports a failure for a write that landed.
    """

    error_rate: float = 0.0
    rate_limit_rate: float = 0.0
    latency: float = 0.0
    seed: int | None = None
    lost_answer_rate: float = 0.0
    lost_answer: str = "503"
    write_delay: float = 0.0
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

    def delay(self, method: str) -> float:
        """Seconds to hold this request's answer after it is applied (writes only)."""
        return self.write_delay if method not in ("GET", "HEAD") else 0.0

    def loses(self, method: str) -> bool:
        """Whether this write's answer is lost after it is applied."""
        return method not in ("GET", "HEAD") and self._random.random() < self.lost_answer_rate

    def describe(self) -> dict[str, Any]:
        """The current settings, as GET /_emulator/faults shows them."""
        return {name: getattr(self, name) for name in (*FAULT_FIELDS, "lost_answer")}

    def update(self, changes: dict[str, Any]) -> None:
        """Apply new settings (all checked first: a bad one changes nothing); raises ValueError."""
        unknown = set(changes) - {*FAULT_FIELDS, "lost_answer"}
        if unknown:
            raise ValueError(f"unknown fault settings: {', '.join(sorted(unknown))}")
        for name in FAULT_FIELDS:
            if name in changes:
                value = changes[name]
                if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                    raise ValueError(f"{name} must be a number >= 0")
                if name not in SECONDS and value > 1:
                    raise ValueError(f"{name} must be between 0 and 1")
        if "lost_answer" in changes and changes["lost_answer"] not in LOST_ANSWERS:
            raise ValueError(f"lost_answer must be one of: {', '.join(LOST_ANSWERS)}")
        for name, value in changes.items():
            setattr(self, name, value)


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
            # asyncio's loop, not uvloop: this loop runs in a daemon thread, and a uvloop loop still alive
            # in one when the interpreter finalises can crash it (a test process that passed everything
            # ended in a segmentation fault); `boardsheet serve` keeps uvicorn's own choice.
            loop="asyncio",
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
