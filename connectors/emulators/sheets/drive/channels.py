"""Drive push notifications: files.watch, channels.stop, and deliveries to the channel's address.

From https://developers.google.com/drive/api/guides/push: a `sync` message when the channel opens, then
messages with X-Goog-Resource-State `update` (or `remove` for a deleted file) and X-Goog-Changed
(content, properties, permissions); headers X-Goog-Channel-ID, X-Goog-Channel-Token (when set),
X-Goog-Channel-Expiration (RFC 1123), X-Goog-Resource-ID, X-Goog-Resource-URI, X-Goog-Message-Number
(1 for sync, then increasing); default expiration one hour, at most one day for files; 500, 502, 503 and 504
answers are retried with exponential backoff. Google coalesces a spreadsheet's edits and notifies "around
every 3 minutes" (googleapis/google-api-go-client#444; "as if there was an every 3 minute cronjob",
deathandmayhem/jolly-roger#173): a channel delivers at most once per `delay` seconds, on ticks counted from
its creation, everything changed since the last one in one message.
"""

from __future__ import annotations

import functools
import math
import threading
import time
import uuid
from dataclasses import dataclass, field
from email.utils import formatdate
from typing import Any

import requests

from connectors.emulators.scheduler import Scheduler
from connectors.emulators.sheets.drive.call import DriveCall
from connectors.emulators.sheets.drive.files import role_on
from connectors.emulators.sheets.errors import drive_error
from connectors.emulators.sheets.files import Change
from connectors.emulators.sheets.schema import DRIVE, validate
from connectors.emulators.sheets.state import SheetsState

Json = dict[str, Any]
DEFAULT_TTL = 3600.0
MAX_TTL = 86400.0
RETRY_STATUSES = (500, 502, 503, 504)
RETRIES = 3


@dataclass
class Channel:
    """One open channel on one file."""

    id: str
    resource_id: str
    file_id: str
    address: str
    token: str | None
    expiration: float  # Unix seconds
    resource_uri: str
    opened: float = field(default_factory=time.monotonic)
    number: int = 0
    pending: set[str] = field(default_factory=set)
    state: str = "update"
    due: float | None = None
    ticket: int | None = None  # the scheduled delivery, cancelled when re-armed


class Pusher:
    """Open channels and their deliveries; `delay` (seconds) is the coalescing tick, settable at run time."""

    def __init__(self, state: SheetsState, delay: float) -> None:
        self.state = state
        self.delay = delay
        self.channels: dict[str, Channel] = {}
        self.delivered: list[tuple[str, dict[str, str], int]] = []  # (address, headers, status): tests
        self._lock = threading.Lock()
        self._scheduler = Scheduler("drive-push")

    def watch(self, call: DriveCall, file_id: str, root: str) -> Json:
        """files.watch: open a channel (any reader may) and send its `sync` message."""
        role_on(self.state, file_id, call)
        body: Json = validate(call.body or {}, "Channel", api=DRIVE, lenient=True)
        channel_id, address = str(body.get("id") or ""), str(body.get("address") or "")
        if body.get("type") not in ("web_hook", "webhook") or not channel_id:
            raise drive_error(400, "Invalid Value", "invalid", "resource.type")
        if not address.startswith(("https://", "http://")):
            raise drive_error(400, f"Invalid notification address: {address}", "push.webhookUrlNotHttps")
        with self._lock:
            if channel_id in self.channels:
                raise drive_error(400, f"Channel id {channel_id} not unique", "channelIdNotUnique")
            now = time.time()
            asked = float(body["expiration"]) / 1000 if body.get("expiration") else now + DEFAULT_TTL
            channel = Channel(
                channel_id,
                uuid.uuid5(uuid.NAMESPACE_URL, f"{file_id}/{channel_id}").hex[:27],
                file_id,
                address,
                body.get("token"),
                min(asked, now + MAX_TTL),
                f"{root}drive/v3/files/{file_id}?alt=json",
            )
            self.channels[channel_id] = channel
        self._scheduler.at(time.monotonic(), lambda: self._deliver(channel, "sync", frozenset()))
        out: Json = {"kind": "api#channel", "id": channel.id, "resourceId": channel.resource_id}
        out["resourceUri"] = channel.resource_uri
        if channel.token is not None:
            out["token"] = channel.token
        return out | {"expiration": str(int(channel.expiration * 1000))}

    def stop(self, call: DriveCall) -> None:
        """channels.stop: close a channel by id and resourceId."""
        body: Json = validate(call.body or {}, "Channel", api=DRIVE, lenient=True)
        channel_id = str(body.get("id") or "")
        with self._lock:
            channel = self.channels.get(channel_id)
            if channel is None or channel.resource_id != body.get("resourceId"):
                message = f"Channel '{channel_id}' not found for project 'emulator'"
                raise drive_error(404, message, "notFound")
            del self.channels[channel_id]

    def on_change(self, change: Change) -> None:
        """Note a change on every live channel of its file; arm the delivery at the channel's next tick."""
        now = time.monotonic()
        with self._lock:
            for channel in list(self.channels.values()):
                if channel.expiration <= time.time():
                    del self.channels[channel.id]
                    continue
                if channel.file_id != change.file_id:
                    continue
                channel.pending |= change.changed
                channel.state = change.state if change.state != "update" else channel.state
                if channel.due is None:
                    self._arm(channel, self._next_tick(channel, now))

    def set_delay(self, delay: float) -> None:
        """Change the coalescing tick; a delivery already waiting moves to its next tick under the new one
        (a test or demo shortening Google's ~3 minutes must not wait out a delivery armed before)."""
        now = time.monotonic()
        with self._lock:
            self.delay = delay
            for channel in self.channels.values():
                if channel.due is not None:
                    self._arm(channel, min(channel.due, self._next_tick(channel, now)))

    def flush(self) -> int:
        """Deliver every channel's pending changes now, whatever the tick (PUT /_emulator/push, tests)."""
        with self._lock:
            waiting = [c for c in self.channels.values() if c.due is not None]
            for channel in waiting:
                self._arm(channel, time.monotonic())
        return len(waiting)

    def _arm(self, channel: Channel, due: float) -> None:
        if channel.ticket is not None:
            self._scheduler.cancel(channel.ticket)
        channel.due = due
        channel.ticket = self._scheduler.at(due, functools.partial(self._flush, channel, due))

    def _next_tick(self, channel: Channel, now: float) -> float:
        if self.delay <= 0:
            return now
        ticks = math.floor((now - channel.opened) / self.delay) + 1
        return channel.opened + ticks * self.delay

    def _flush(self, channel: Channel, due: float) -> None:
        with self._lock:
            if channel.due != due:
                return  # re-armed (flushed early) meanwhile
            changed, state = frozenset(channel.pending), channel.state
            channel.pending, channel.due, channel.state, channel.ticket = set(), None, "update", None
            if state == "remove":
                self.channels.pop(channel.id, None)
            elif self.channels.get(channel.id) is not channel:
                return  # stopped meanwhile
        self._deliver(channel, state, changed)

    def _deliver(self, channel: Channel, state: str, changed: frozenset[str], attempt: int = 0) -> None:
        with self._lock:
            if attempt == 0:
                channel.number += 1
            headers = {
                "X-Goog-Channel-ID": channel.id,
                "X-Goog-Channel-Expiration": formatdate(channel.expiration, usegmt=True),
                "X-Goog-Resource-ID": channel.resource_id,
                "X-Goog-Resource-URI": channel.resource_uri,
                "X-Goog-Resource-State": state,
                "X-Goog-Message-Number": str(channel.number),
            }
        if channel.token is not None:
            headers["X-Goog-Channel-Token"] = channel.token
        if changed:
            headers["X-Goog-Changed"] = ",".join(sorted(changed))
        try:
            status = requests.post(
                channel.address, headers=headers, timeout=10.0, allow_redirects=False
            ).status_code
        except requests.RequestException:
            status = 0
        with self._lock:
            self.delivered.append((channel.address, headers, status))
        if status in RETRY_STATUSES and attempt < RETRIES:
            backoff = max(0.05, min(self.delay, 1.0)) * 2**attempt
            self._scheduler.at(
                time.monotonic() + backoff, lambda: self._deliver(channel, state, changed, attempt + 1)
            )

    def drain(self, timeout: float = 10.0) -> bool:
        """Wait until every due and scheduled delivery is done (tests)."""
        return self._scheduler.drain(timeout)
