"""Run both emulators side by side on 127.0.0.1 (the `emulate` and `demo` commands), optionally seeded."""

from __future__ import annotations

import signal
import threading
import time
from dataclasses import dataclass, replace
from types import FrameType
from typing import Any

from fastapi import FastAPI

from connectors.emulators.common import Faults, ServerThread
from connectors.emulators.seeding import Seeded, SeedSpec, seed
from connectors.emulators.sheets import app as sheets_emulator
from connectors.emulators.trello import app as trello_emulator


@dataclass(frozen=True)
class Options:
    """What the emulators start with (changeable later under /_emulator/): the Sheets quota per user and
    minute (None: off), Trello's rate limits, Drive's push coalescing delay, and where (and with which
    secret) the Sheets emulator posts edit hints."""

    sheets_quota: int | None = 60
    trello_rate_limits: bool = True
    push_delay: float = 180.0
    edit_hint_url: str | None = None
    edit_hint_secret: str | None = None


class Emulators:
    """The Trello and Sheets emulators, each in its own server thread."""

    def __init__(
        self,
        trello_port: int = 0,
        sheets_port: int = 0,
        faults: Faults | None = None,
        options: Options | None = None,
    ) -> None:
        limits = options or Options()
        # Each emulator draws from its own Faults (same rates), so one API's traffic never shifts the other's.
        self.trello_app: FastAPI = trello_emulator.create_app(
            faults=replace(faults) if faults else None, rate_limits=limits.trello_rate_limits
        )
        self.sheets_app: FastAPI = sheets_emulator.create_app(
            faults=replace(faults) if faults else None,
            quota_per_minute=limits.sheets_quota,
            push_delay=limits.push_delay,
            edit_hint_url=limits.edit_hint_url,
            edit_hint_secret=limits.edit_hint_secret,
        )
        self._trello = ServerThread(self.trello_app, trello_port)
        self._sheets = ServerThread(self.sheets_app, sheets_port)

    @property
    def trello_url(self) -> str:
        """Base URL of the Trello emulator."""
        return self._trello.url

    @property
    def sheets_url(self) -> str:
        """Base URL of the Sheets emulator."""
        return self._sheets.url

    def start(self) -> Emulators:
        """Start both servers (stopping the first if the second fails)."""
        self._trello.start()
        try:
            self._sheets.start()
        except BaseException:
            self._trello.stop()
            raise
        # Card links in the sheet's view open the Trello emulator's board page, not trello.com.
        self.sheets_app.state.trello_link_base = self.trello_url
        return self

    def stop(self) -> None:
        """Stop both servers."""
        self._sheets.stop()
        self._trello.stop()

    def __enter__(self) -> Emulators:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def seed(self, spec: SeedSpec, **kw: Any) -> Seeded:
        """Seed `spec` through the real APIs of these emulators."""
        return seed(spec, self.trello_url, self.sheets_url, **kw)


class StopSignals:
    """While entered, Ctrl-C and SIGTERM set `event` instead of killing the process (main thread only).

    Enter it before announcing readiness, so a signal sent right after the announcement is not lost.
    """

    def __init__(self) -> None:
        self.event = threading.Event()
        self._previous: dict[int, Any] = {}

    def _on_signal(self, _signum: int, _frame: FrameType | None) -> None:
        self.event.set()

    def __enter__(self) -> StopSignals:
        self._previous = {sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
        return self

    def __exit__(self, *exc: object) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)

    def wait(self, timeout: float | None = None) -> None:
        """Block until a signal arrives, `event` is set or `timeout` seconds pass."""
        # Short waits keep the main thread responsive to signals on every platform.
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self.event.wait(0.2):
            if deadline is not None and time.monotonic() >= deadline:
                return
