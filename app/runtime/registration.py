"""Webhook registration: every configured board gets exactly one active webhook to our callback URL.

Only boardsheet's own webhooks are ever touched (our callback URL, or our description on any host, see
own_webhooks.py): a token may also serve other integrations, and their webhooks point elsewhere. Ours
calling an older public URL are replaced. Run at start, on every registration tick, and by
`boardsheet webhooks`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from app.core.error_text import describe_error
from app.core.status_times import iso
from app.runtime.own_webhooks import our_webhooks
from app.runtime.pairs import BoardApi, BoardDirectory
from app.runtime.tracker import RunTracker
from connectors.errors import ConnectorError, NotFound

__all__ = [
    "WEBHOOK_PATH",
    "RegistrationLoop",
    "Report",
    "WebhookApi",
    "callback_url",
    "ensure_webhooks",
    "our_webhooks",
    "remove_webhooks",
]

log = logging.getLogger(__name__)

# Where Trello delivers: the one public endpoint of the service (web/webhooks.py serves it).
WEBHOOK_PATH = "/webhooks/trello"

# A failed pass is retried after 1 s, then 2, 4, ... up to this, never later than the regular tick: a
# whole reconcile period (5 min) left a service without webhooks that long after one refused HEAD check
# of the callback (as when a first pass ran while uvicorn was still binding its socket).
RETRY_FIRST, RETRY_MAX = 1.0, 60.0
LISTEN_WAIT = 10.0  # seconds the first pass waits for the server to listen (`boardsheet serve` says when)


def callback_url(public_url: str) -> str:
    """The webhook callback URL for a public base URL (BOARDSHEET_PUBLIC_URL)."""
    return public_url.rstrip("/") + WEBHOOK_PATH


class WebhookApi(Protocol):
    """The three TrelloConnector methods registration uses."""

    def list_webhooks(self) -> list[dict[str, Any]]: ...

    def create_webhook(self, model_id: str, callback_url: str, description: str = "") -> dict[str, Any]: ...

    def delete_webhook(self, webhook_id: str) -> None: ...


@dataclass
class Report:
    """What one registration pass did (board ids and webhook ids), and what failed, in plain words."""

    kept: list[str] = field(default_factory=list)  # boards already served by one active webhook
    created: list[str] = field(default_factory=list)  # boards that had none
    recreated: list[str] = field(default_factory=list)  # boards whose webhook Trello deactivated
    replaced: list[str] = field(default_factory=list)  # boards whose webhook called an older public URL
    deleted: list[str] = field(default_factory=list)  # webhook ids: duplicates and unconfigured boards
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every configured board was handled."""
        return not self.errors

    def summary(self) -> str:
        """One line for logs and the CLI."""
        parts = [
            f"{len(self.kept)} kept",
            f"{len(self.created)} created",
            f"{len(self.recreated)} recreated",
            f"{len(self.replaced)} replaced",
            f"{len(self.deleted)} deleted",
        ]
        if self.errors:
            parts.append(f"{len(self.errors)} failed")
        return ", ".join(parts)


def ensure_webhooks(trello: WebhookApi, boards: Mapping[str, str], callback_url: str) -> Report:
    """Make each board of `boards` (id -> description) have exactly one active webhook to `callback_url`.

    Listing the webhooks failing raises (ConnectorError); a failure on one board is reported in
    `Report.errors` and the other boards are still handled.
    """
    report = Report()
    ours = our_webhooks(trello, callback_url)
    for board_id, description in boards.items():
        hooks = [h for h in ours if h.get("idModel") == board_id]
        try:
            _ensure_one(
                trello,
                board_id,
                description=description,
                hooks=hooks,
                callback_url=callback_url,
                report=report,
            )
        except ConnectorError as exc:
            report.errors.append(f"board {board_id}: {exc}")
    stale = [h for h in ours if h.get("idModel") not in boards]
    _delete(trello, stale, report)
    return report


def remove_webhooks(
    trello: WebhookApi, callback_url: str | None, boards: Iterable[str] | None = None
) -> Report:
    """Delete our webhooks, whatever host they call (all, or only those on `boards`); others stay."""
    wanted = None if boards is None else set(boards)
    report = Report()
    hooks = [h for h in our_webhooks(trello, callback_url) if wanted is None or h.get("idModel") in wanted]
    _delete(trello, hooks, report)
    return report


def _ensure_one(
    trello: WebhookApi,
    board_id: str,
    *,
    description: str,
    hooks: list[dict[str, Any]],
    callback_url: str,
    report: Report,
) -> None:
    """Keep the first active webhook to `callback_url`, create one when none is, then delete the others.

    Ours calling another URL (an older BOARDSHEET_PUBLIC_URL) go only once the new one exists, so a
    failed creation never leaves the board with no webhook at all.
    """
    current = [h for h in hooks if h.get("callbackURL") == callback_url]
    active = [h for h in current if h.get("active", True)]
    keep = active[0] if active else None
    # Trello refuses a second webhook with the same model and URL: clear inactive copies first.
    _delete(trello, [h for h in current if h is not keep], report)
    if keep is not None:
        report.kept.append(board_id)
    else:
        trello.create_webhook(board_id, callback_url, description)
        stale = len(current) < len(hooks)
        (report.replaced if stale else report.recreated if current else report.created).append(board_id)
    _delete(trello, [h for h in hooks if h.get("callbackURL") != callback_url], report)


def _delete(trello: WebhookApi, hooks: list[dict[str, Any]], report: Report) -> None:
    """Delete webhooks, recording each id deleted or the failure."""
    for hook in hooks:
        hook_id = str(hook.get("id", ""))
        try:
            trello.delete_webhook(hook_id)
        except NotFound:
            pass  # already gone (Trello removes webhooks whose model was deleted): the goal is met
        except ConnectorError as exc:
            report.errors.append(f"webhook {hook_id}: {exc}")
        else:
            report.deleted.append(hook_id)


class TrelloHooks(WebhookApi, BoardApi, Protocol):
    """What the registration loop calls on Trello (TrelloConnector fits)."""


class RegistrationLoop:
    """Ensures webhooks at start and on every tick, in a thread; failures are logged once, never raised.

    `state` is the last pass for /status: callback URL, when it was checked, its summary and error.
    """

    def __init__(
        self,
        trello: TrelloHooks,
        boards: BoardDirectory,
        url: str,
        tracker: RunTracker,
        *,
        every: float,
        clock: Callable[[], float],
    ) -> None:
        self._trello, self._boards, self._url, self._tracker = trello, boards, url, tracker
        self._every, self._clock = every, clock
        self.state: dict[str, Any] = {}
        self._stop = threading.Event()
        self._failures = 0  # failed passes in a row
        self._after: threading.Event | None = None
        self._thread = threading.Thread(target=self._loop, name="webhook-registration", daemon=True)

    @property
    def live(self) -> bool:
        """Whether the last pass left every board with its webhook: changes then arrive within seconds."""
        return bool(self.state.get("checked_at")) and self.state.get("error") is None

    def start(self, after: threading.Event | None = None) -> None:
        """Start the thread; its first pass waits (LISTEN_WAIT at most) for `after`, the server listening."""
        self._after = after
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Ask the thread to end and wait a little for it."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def register_once(self) -> None:
        """One pass: resolve board ids, ensure webhooks, note the outcome; raises when it failed."""
        report = ensure_webhooks(self._trello, self._boards.webhook_descriptions(self._trello), self._url)
        self.state = {
            "callback_url": self._url,
            "checked_at": iso(self._clock()),
            "summary": report.summary(),
            "error": "; ".join(report.errors) or None,
        }
        if not report.ok:
            raise RuntimeError("; ".join(report.errors))

    def tick(self) -> float:
        """One pass; seconds until the next. Logs once when it starts failing and once when it works again."""
        try:
            self.register_once()
        except Exception as exc:  # a Trello outage must never take the service down
            self.state = {**self.state, "error": describe_error(exc), "failed_at": iso(self._clock())}
            self._tracker.auth_result(exc)
            if not self._failures:
                log.warning("webhook registration failed (will retry): %s", describe_error(exc))
            self._failures += 1
            backoff: float = RETRY_FIRST * 2 ** (self._failures - 1)
            return min(self._every, RETRY_MAX, backoff)
        self._tracker.auth_result(None, "trello")
        if self._failures:
            log.warning("webhook registration works again")
        self._failures = 0
        return self._every

    def _loop(self) -> None:
        waited = 0.0
        while self._after is not None and not self._after.is_set() and waited < LISTEN_WAIT:
            if self._stop.wait(0.05):
                return
            waited += 0.05
        while not self._stop.is_set():
            self._stop.wait(self.tick())
