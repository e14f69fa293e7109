"""Drive push channels: one files.watch channel per configured spreadsheet, delivering to /webhooks/drive.

Channels are opened, renewed before they expire, stopped when their spreadsheet leaves the config and on
shutdown. Every replica runs this loop; the store's lease on `drive:<spreadsheet>` lets one replica at a
time touch a spreadsheet's channels, and a channel's row is saved before files.watch is called, so every
replica knows its token by the time Drive's first (`sync`) message arrives. Drive caps a file channel at
one day and opens it for one hour when no expiration is asked (https://developers.google.com/drive/api/
guides/push#renew-notification-channels: channels are not renewed automatically; open a new one).
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from app.core.error_text import describe_error
from app.core.status_times import iso
from app.store.drive_state import DriveChannel
from app.store.store import Store
from connectors.drive.client import WatchedChannel
from connectors.errors import ConnectorError, NotFound

__all__ = ["DRIVE_WEBHOOK_PATH", "ChannelApi", "ChannelKeeper", "ChannelReport", "drive_address"]

log = logging.getLogger(__name__)

DRIVE_WEBHOOK_PATH = "/webhooks/drive"
CHANNEL_TTL = 86400.0  # Drive's longest channel on a file
RENEW_BEFORE = 3600.0  # open the next channel this long before the current one ends
STOP_BUDGET = 8.0  # seconds stopping the channels may take at shutdown
LEASE_TTL = timedelta(seconds=60)  # a replica that crashed mid-pass blocks a spreadsheet this long at most
Clock = Callable[[], float]


def drive_address(public_url: str) -> str:
    """Where Drive delivers push messages for a public base URL (BOARDSHEET_PUBLIC_URL)."""
    return public_url.rstrip("/") + DRIVE_WEBHOOK_PATH


class ChannelApi(Protocol):
    """The two DriveConnector methods channels need."""

    def watch(
        self, file_id: str, channel_id: str, address: str, token: str, *, expires_at: float
    ) -> WatchedChannel: ...

    def stop(self, channel_id: str, resource_id: str) -> None: ...


@dataclass
class ChannelReport:
    """What one pass did, by spreadsheet id, and what failed."""

    kept: list[str] = field(default_factory=list)
    opened: list[str] = field(default_factory=list)
    renewed: list[str] = field(default_factory=list)
    stopped: list[str] = field(default_factory=list)  # channel ids
    busy: list[str] = field(default_factory=list)  # another replica was handling them
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for logs and /status."""
        counts = [("kept", self.kept), ("opened", self.opened), ("renewed", self.renewed)]
        parts = [f"{len(v)} {k}" for k, v in counts] + [f"{len(self.stopped)} stopped"]
        return ", ".join(parts + ([f"{len(self.errors)} failed"] if self.errors else []))


class ChannelKeeper:
    """Keeps exactly one live channel per configured spreadsheet, across replicas sharing one store."""

    def __init__(
        self,
        drive: ChannelApi,
        store: Store,
        spreadsheets: Iterable[str],
        address: str,
        *,
        clock: Clock,
        holder: str | None = None,
        ttl: float = CHANNEL_TTL,
        renew_before: float = RENEW_BEFORE,
        every: float = 300.0,
    ) -> None:
        self._drive, self._store, self.address = drive, store, address
        self.spreadsheets = sorted(set(spreadsheets))
        self._clock, self._ttl, self._renew_before, self._every = clock, ttl, renew_before, every
        self.holder = holder or f"channels-{uuid.uuid4().hex[:12]}"
        self.state: dict[str, Any] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="drive-channels", daemon=True)

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self._clock(), UTC)

    def ensure_once(self) -> ChannelReport:
        """One pass: each configured spreadsheet kept, opened or renewed; channels of others stopped."""
        report = ChannelReport()
        for spreadsheet in self.spreadsheets:
            self._locked(spreadsheet, report, lambda s: self._ensure(s, report))
        configured = set(self.spreadsheets)
        for leftover in sorted({c.spreadsheet for c in self._store.drive_channels()} - configured):
            self._locked(leftover, report, lambda s: self._stop_all(s, report))
        self.state = {
            "address": self.address,
            "checked_at": iso(self._clock()),
            "summary": report.summary(),
            "error": "; ".join(report.errors) or None,
        }
        return report

    def stop_channels(self) -> ChannelReport:
        """Stop every channel of the configured spreadsheets (shutdown); other replicas reopen theirs."""
        report = ChannelReport()
        for spreadsheet in self.spreadsheets:
            self._locked(spreadsheet, report, lambda s: self._stop_all(s, report))
        return report

    def _locked(self, spreadsheet: str, report: ChannelReport, work: Callable[[str], None]) -> None:
        """Run `work` holding the spreadsheet's lease; a failure is reported, never raised."""
        key = f"drive:{spreadsheet}"
        if not self._store.acquire_lease(key, self.holder, LEASE_TTL):
            report.busy.append(spreadsheet)
            return
        try:
            work(spreadsheet)
        except ConnectorError as exc:
            report.errors.append(f"spreadsheet {spreadsheet}: {exc}")
        finally:
            self._store.release_lease(key, self.holder)

    def _ensure(self, spreadsheet: str, report: ChannelReport) -> None:
        """Keep the live channel, or open one (a renewal when one existed); stop every other."""
        rows = self._store.drive_channels(spreadsheet)
        fresh_until = self._now() + timedelta(seconds=self._renew_before)
        live = [c for c in rows if c.resource_id is not None and c.expires_at > fresh_until]
        if live:
            report.kept.append(spreadsheet)
            self._retire([c for c in rows if c is not live[-1]], report)
            return
        self._open(spreadsheet)
        (report.renewed if rows else report.opened).append(spreadsheet)
        self._retire(rows, report)

    def _open(self, spreadsheet: str) -> DriveChannel:
        """Save the new channel's row, then ask Drive for it; the row goes again when Drive refuses."""
        expires = self._now() + timedelta(seconds=self._ttl)
        row = DriveChannel(
            uuid.uuid4().hex, spreadsheet, None, secrets.token_urlsafe(32), expires, self.holder
        )
        self._store.save_drive_channel(row)
        try:
            opened = self._drive.watch(
                spreadsheet, row.channel_id, self.address, row.token, expires_at=expires.timestamp()
            )
        except ConnectorError:
            self._store.forget_drive_channel(row.channel_id)
            raise
        row = replace(
            row, resource_id=opened.resource_id, expires_at=datetime.fromtimestamp(opened.expiration, UTC)
        )
        self._store.save_drive_channel(row)
        return row

    def _stop_all(self, spreadsheet: str, report: ChannelReport) -> None:
        self._retire(self._store.drive_channels(spreadsheet), report)

    def _retire(self, channels: list[DriveChannel], report: ChannelReport) -> None:
        """Stop channels at Drive (already gone is fine) and forget them."""
        for channel in channels:
            if channel.resource_id is not None and channel.expires_at > self._now():
                with contextlib.suppress(NotFound):  # expired or stopped already: the goal is met
                    self._drive.stop(channel.channel_id, channel.resource_id)
            self._store.forget_drive_channel(channel.channel_id)
            report.stopped.append(channel.channel_id)

    def start(self) -> None:
        """Start the renewal thread (its first pass opens the channels)."""
        self._thread.start()

    def stop(self, timeout: float = 5.0, budget: float = STOP_BUDGET) -> None:
        """End the thread, then stop our spreadsheets' channels within `budget` seconds (logged, never
        raised): Drive unreachable at shutdown must not hold the process past its stop timeout (Docker's
        is 10 s); a channel left open expires, and the next replica adopts or stops it."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)
        stopping = threading.Thread(target=self._stop_channels_logged, name="drive-stop", daemon=True)
        stopping.start()
        stopping.join(budget)
        if stopping.is_alive():
            log.warning(
                "Drive did not let us stop the push channels within %.0f s: they expire by themselves", budget
            )

    def _stop_channels_logged(self) -> None:
        """stop_channels, its failures logged."""
        try:
            report = self.stop_channels()
        except Exception as exc:  # shutting down: say so, never crash the shutdown
            log.warning("could not stop the Drive push channels: %s", describe_error(exc))
            return
        if report.errors:
            log.warning("could not stop every Drive push channel: %s", "; ".join(report.errors))

    def tick(self) -> None:
        """One pass; a failure is logged and noted for /status, never raised."""
        try:
            report = self.ensure_once()
        except Exception as exc:  # the store or Drive down must never take the service down
            self.state = {**self.state, "error": describe_error(exc), "failed_at": iso(self._clock())}
            log.warning("Drive channel upkeep failed (will retry): %s", describe_error(exc))
            return
        if report.errors:
            log.warning("Drive channel upkeep: %s", "; ".join(report.errors))

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.tick()
            self._stop.wait(self._every)
