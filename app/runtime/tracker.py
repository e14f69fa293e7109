"""Facts about runs and webhooks the coordinators' health does not keep, for /readyz and /status."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from app.core.error_text import describe_error
from connectors.errors import AuthError

__all__ = ["RunTracker"]

Clock = Callable[[], float]


class RunTracker:
    """Facts the coordinators' health does not keep: auth failures per API, failing-since, last webhook."""

    def __init__(self, clock: Clock = time.time) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self.auth_errors: dict[str, str] = {}  # service -> plain words of the last AuthError
        self.failing_since: dict[str, float] = {}
        self.last_webhook: dict[str, float] = {}
        self.last_notice: dict[tuple[str, str], float] = {}  # (pair, "drive" | "hint") -> when

    def ran(self, pair: str, error: Exception | None) -> None:
        """Note how a run of `pair` ended: `error` None when it did (a refused or failed run raised)."""
        if error is not None:
            with self._lock:
                self.failing_since.setdefault(pair, self._clock())
            self.auth_result(error)
            return
        with self._lock:
            self.failing_since.pop(pair, None)
            # A successful run reached both APIs with our credentials.
            self.auth_errors.clear()

    def auth_result(self, exc: BaseException | None, service: str | None = None) -> None:
        """Note an AuthError (`exc`), or that `service` just accepted our credentials (`exc` None)."""
        with self._lock:
            if isinstance(exc, AuthError):
                self.auth_errors[exc.service] = describe_error(exc)
            elif exc is None and service is not None:
                self.auth_errors.pop(service, None)

    def noticed(self, pair: str, source: str) -> None:
        """Note that a verified sheet-edit signal (`source` "drive" or "hint") for `pair` arrived now."""
        with self._lock:
            self.last_notice[(pair, source)] = self._clock()

    def webhook(self, pair: str) -> None:
        """Note that a webhook for `pair` was accepted now."""
        with self._lock:
            self.last_webhook[pair] = self._clock()
