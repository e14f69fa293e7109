"""A Drive stand-in for the shell's tests: channels kept in memory, every call recorded."""

from __future__ import annotations

import threading
from typing import Any

from connectors.drive.client import LastEdit, WatchedChannel
from connectors.errors import NotFound, Transient


class FakeDrive:
    """files.watch, channels.stop and files.get's last modifier, in memory (thread-safe)."""

    def __init__(self) -> None:
        self.open: dict[str, dict[str, Any]] = {}  # channel id -> watch arguments
        self.watched: list[str] = []  # spreadsheet ids, one per files.watch
        self.stopped: list[str] = []  # channel ids
        self.failing = False
        self.last = LastEdit("", "", me=False, modified_time="", version="1")
        self.edits_asked = 0
        self.entered = threading.Event()  # set when a watch call begins
        self.gate: threading.Event | None = None  # when set up, a watch waits for it (races in tests)
        self._lock = threading.Lock()

    def watch(
        self, file_id: str, channel_id: str, address: str, token: str, *, expires_at: float
    ) -> WatchedChannel:
        if self.failing:
            raise Transient("Drive is down", service="drive", status=503)
        self.entered.set()
        if self.gate is not None:
            assert self.gate.wait(30), "the test never opened the gate"
        with self._lock:
            self.watched.append(file_id)
            self.open[channel_id] = {"file": file_id, "address": address, "token": token}
        return WatchedChannel(channel_id, f"res-{file_id}", expires_at)

    def stop(self, channel_id: str, resource_id: str) -> None:
        with self._lock:
            if self.open.pop(channel_id, None) is None:
                raise NotFound(f"channel {channel_id}", service="drive", status=404)
            self.stopped.append(channel_id)

    def last_edit(self, file_id: str) -> LastEdit:
        self.edits_asked += 1
        return self.last
