"""The service's shared objects, built once from Settings + Config and handed to routes as one container.

ONE TrelloConnector and ONE SheetsConnector serve every pair, so their client-side rate limits bound all
pairs together; one Coordinator per pair schedules that pair's runs through the shared `runner`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any, Protocol

from app.config.models import Config
from app.config.settings import Settings, SettingsError
from app.core.changes import ChangeDict
from app.core.option_names import OptionNames
from app.runtime.connections import build_syncer, build_trello
from app.runtime.coordinator import Coordinator
from app.runtime.coordinators import CoordinatorGroup
from app.runtime.metrics import Metrics
from app.runtime.registration import BoardApi, WebhookApi, resolve_board_ids
from app.runtime.tracker import Runner, RunTracker
from app.store.store import ChangeRecord, Store
from app.web.webhooks import WebhookDeps, callback_url

__all__ = [
    "RunTracker",
    "Runner",
    "Services",
    "TrelloApi",
    "build_services",
    "configured_boards",
    "webhook_deps",
]

Clock = Callable[[], float]


class TrelloApi(WebhookApi, BoardApi, Protocol):
    """The TrelloConnector methods the service shell itself calls."""


@dataclass
class Services:
    """Everything the routes, the lifespan and the registration loop share."""

    settings: Settings
    config: Config
    store: Store
    trello: TrelloApi | None
    coordinators: CoordinatorGroup
    metrics: Metrics
    tracker: RunTracker
    clock: Clock = time.time
    board_ids: dict[str, str] = field(default_factory=dict)  # board reference in the YAML -> board id
    registration: dict[str, Any] = field(default_factory=dict)  # the last registration pass, for /status
    option_names: OptionNames = field(default_factory=OptionNames)  # list-field option ids -> text

    @property
    def callback_url(self) -> str | None:
        """The webhook callback URL, None in polling-only mode."""
        public = self.settings.public_url
        return callback_url(public) if public else None

    @property
    def admin_token(self) -> str | None:
        """The admin bearer token, None when the admin API is disabled."""
        token = self.settings.admin_token
        return token.get_secret_value() if token is not None else None

    def pairs_for_board(self, board_id: str | None, short_link: str | None) -> list[str]:
        """The pairs syncing a board, whether the YAML names it by id or by short link."""
        refs = {r for r in (board_id, short_link) if r}
        return [
            p.name
            for p in self.config.pairs
            if p.trello.board in refs or self.board_ids.get(p.trello.board) in refs
        ]

    def close(self) -> None:
        """Release the store's connections (after the coordinators have stopped)."""
        self.store.close()

    def request_run(self, pair: str, reason: str, *, force: bool = False) -> bool:
        """Ask pair's coordinator for a run; False when no such pair."""
        if reason == "webhook":
            self.tracker.webhook(pair)
        return self.coordinators.request(pair, reason, force=force)


def default_runner(
    settings: Settings,
    config: Config,
    store: Store,
    trello: Any,
    metrics: Metrics | None = None,
    option_names: OptionNames | None = None,
) -> Runner:
    """`Syncer.run` over the one TrelloConnector and one SheetsConnector of the process."""
    syncer = build_syncer(
        settings, config, store=store, trello=trello, metrics=metrics, option_names=option_names
    )

    def run(pair: str) -> Any:
        return syncer.run(pair)

    return run


def build_services(
    settings: Settings,
    config: Config,
    *,
    store: Store | None = None,
    trello: TrelloApi | None = None,
    runner: Runner | None = None,
    metrics: Metrics | None = None,
    clock: Clock = time.time,
) -> Services:
    """Build the container; anything passed in (tests, the demo) is used instead of being built."""
    store = store if store is not None else Store(settings.database_url)
    metrics = metrics if metrics is not None else Metrics()
    if trello is None:
        trello = build_trello(settings, metrics=metrics)
    option_names = OptionNames()
    if runner is None:
        runner = default_runner(settings, config, store, trello, metrics, option_names)
    tracker = RunTracker(clock)
    group = CoordinatorGroup(
        Coordinator(
            pair.name,
            tracker.wrap(pair.name, runner),
            debounce=settings.debounce,
            max_wait=settings.max_wait,
            reconcile_every=pair.reconcile_every.total_seconds(),
            clock=clock,
            metrics=metrics,
            paused=store.paused(pair.name),
            # The flag is shared by every replica: a pause or resume made elsewhere is followed.
            paused_source=partial(store.paused, pair.name),
        )
        for pair in config.pairs
    )
    return Services(
        settings, config, store, trello, group, metrics, tracker, clock, option_names=option_names
    )


def configured_boards(trello: BoardApi, config: Config, known: dict[str, str]) -> dict[str, str]:
    """Board id -> webhook description for every configured board; resolves new short links into `known`."""
    refs = [pair.trello.board for pair in config.pairs]
    known.update(resolve_board_ids(trello, [ref for ref in refs if ref not in known]))
    boards: dict[str, str] = {}
    for pair in config.pairs:
        board_id = known[pair.trello.board]
        boards[board_id] = (boards.get(board_id, "boardsheet:") + f" {pair.name}").strip()
    return boards


def change_record(services: Services, change: ChangeDict) -> ChangeRecord:
    """The store's change-log record of one webhook change (missing texts become empty)."""
    pair = services.config.pair(change["pair"])
    ref = pair.trello.board
    return ChangeRecord(
        at=_parse_time(change["at"], services.clock),
        pair=change["pair"],
        board_id=services.board_ids.get(ref, ref),
        action_id=change["action_id"] or "",
        action_type=change["action_type"] or "",
        member=change["who"] or "someone",
        card_id=change["card_id"] or "",
        card_name=change["card_name"] or "",
        field=change["field"],
        before=change["before"],
        after=change["after"],
    )


def _parse_time(text: str | None, clock: Clock) -> datetime:
    """Trello's ISO 8601 action date as an aware datetime; now when missing or unreadable."""
    if text:
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            pass
        else:
            return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
    return datetime.fromtimestamp(clock(), UTC)


def webhook_deps(services: Services) -> WebhookDeps:
    """What the webhook router needs, wired to the store and the coordinators."""
    secret = services.settings.trello_app_secret
    if secret is None:
        raise SettingsError(
            "set TRELLO_APP_SECRET to verify Trello webhooks (or unset BOARDSHEET_PUBLIC_URL)"
        )

    def record(changes: list[ChangeDict]) -> None:
        services.store.record_changes([change_record(services, c) for c in changes])

    def request(pair: str, reason: str) -> None:
        services.request_run(pair, reason)

    return WebhookDeps(
        app_secret=secret.get_secret_value(),
        callback_url=services.callback_url or "",
        pairs_for_board=services.pairs_for_board,
        mark_action_seen=services.store.mark_action_seen,
        forget_action=services.store.forget_action,
        record_changes=record,
        request_run=request,
        metrics=services.metrics,
    )
