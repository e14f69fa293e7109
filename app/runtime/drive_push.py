"""A Drive push message, taken in: verify its channel token, then request a run of every pair on it.

Headers from https://developers.google.com/drive/api/guides/push#understand-drive-api-notification-events:
X-Goog-Channel-ID, X-Goog-Channel-Token, X-Goog-Resource-ID, X-Goog-Resource-State (`sync` when the
channel opens; `update`, `remove`, ... later), X-Goog-Changed, X-Goog-Message-Number. A message is a hint,
not data: nothing here reads the sheet; the runs it asks for re-read both sides.
"""

from __future__ import annotations

import hmac
import logging
import threading
from collections.abc import Callable, Mapping
from typing import Literal, Protocol

from app.core.error_text import describe_error
from app.runtime.intake import RunRequests
from app.store.drive_state import DriveChannel
from connectors.errors import ConnectorError, NotFound

__all__ = ["DriveNotifications", "PushOutcome"]

log = logging.getLogger(__name__)

PushOutcome = Literal["accepted", "sync", "bad_token", "unknown_channel"]
STOPS_REMEMBERED = 1000  # unknown channel ids we already tried to stop (a forged flood costs one call each)


class ChannelRows(Protocol):
    """Where channels are known (Store fits)."""

    def drive_channel(self, channel_id: str) -> DriveChannel | None: ...


class ChannelStopper(Protocol):
    """channels.stop (DriveConnector fits)."""

    def stop(self, channel_id: str, resource_id: str) -> None: ...


class PushFacts(Protocol):
    """Where accepted change signals are noted for /status (RunTracker fits)."""

    def noticed(self, pair: str, source: str) -> None: ...


class DriveNotifications:
    """Takes in Drive push messages (thread-safe: called from the web thread pool)."""

    def __init__(
        self,
        channels: ChannelRows,
        pairs_of: Callable[[str], list[str]],
        coordinators: RunRequests,
        tracker: PushFacts,
        stopper: ChannelStopper | None = None,
    ) -> None:
        """`pairs_of(spreadsheet)` names the pairs syncing a spreadsheet."""
        self._channels, self._pairs_of = channels, pairs_of
        self._coordinators, self._tracker, self._stopper = coordinators, tracker, stopper
        self._stopped: set[str] = set()
        self._lock = threading.Lock()

    def accept(self, headers: Mapping[str, str]) -> PushOutcome:
        """Verify one message's channel and token; on an update, request runs of its pairs."""
        channel_id = headers.get("x-goog-channel-id", "")
        token = headers.get("x-goog-channel-token", "")
        channel = self._channels.drive_channel(channel_id) if channel_id else None
        if channel is None:
            self._stop_unknown(channel_id, headers.get("x-goog-resource-id", ""))
            return "unknown_channel"
        # compare_digest on bytes: constant time, and non-ASCII junk in the header cannot raise.
        if not hmac.compare_digest(token.encode("utf-8", "replace"), channel.token.encode()):
            return "bad_token"
        if headers.get("x-goog-resource-state", "") == "sync":
            return "sync"  # the channel opened: nothing changed yet
        for pair in self._pairs_of(channel.spreadsheet):
            self._tracker.noticed(pair, "drive")
            self._coordinators.request(pair, "drive")
        return "accepted"

    def _stop_unknown(self, channel_id: str, resource_id: str) -> None:
        """Stop a channel we do not know (Drive would keep delivering); once per id, failures logged."""
        if self._stopper is None or not channel_id or not resource_id:
            return
        with self._lock:
            if channel_id in self._stopped or len(self._stopped) >= STOPS_REMEMBERED:
                return
            self._stopped.add(channel_id)
        try:
            self._stopper.stop(channel_id, resource_id)
        except NotFound:
            pass  # forged, or gone already
        except ConnectorError as exc:
            log.warning("could not stop unknown Drive channel %s: %s", channel_id[:64], describe_error(exc))
