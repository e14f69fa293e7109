"""The composition of the service: built once from Settings + Config, handed to the app factory.

ONE TrelloConnector and ONE SheetsConnector serve every pair, so their client-side rate limits bound all
pairs together; one Coordinator per pair schedules that pair's runs through the shared runner. The routes
never see this container: they take the narrow objects it holds (see app.web.deps).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from app import __version__
from app.config.models import Config
from app.config.settings import Settings
from app.core.changes import OptionNames
from app.core.schedule import start_offsets
from app.errors import StoreError
from app.runtime.admin import AdminActions
from app.runtime.calendar import CalendarFeeds
from app.runtime.coordinator import Coordinator, Runner
from app.runtime.coordinators import CoordinatorGroup
from app.runtime.edit_signals import (
    DriveApi,
    EditSignalServices,
    build_attribution,
    build_drive,
    build_edit_signals,
)
from app.runtime.intake import WebhookIntake
from app.runtime.metrics import Metrics
from app.runtime.pairs import BoardDirectory
from app.runtime.registration import RegistrationLoop, TrelloHooks, callback_url
from app.runtime.run_slots import RunSlots
from app.runtime.sharing import SharingAuditor
from app.runtime.sharing_setup import build_sharing, sharing_on
from app.runtime.status_reader import StatusReader
from app.runtime.sync import Syncer
from app.runtime.syncer_wiring import (
    INTERACTIVE_RETRY_SECONDS,
    build_sheets,
    build_syncer,
    build_trello,
)
from app.runtime.tracker import RunTracker
from app.store.store import Store

__all__ = [
    "INTERACTIVE_RETRY_SECONDS",
    "Services",
    "build_services",
    "build_sheets",
    "build_syncer",
    "build_trello",
]

Clock = Callable[[], float]


@dataclass
class Services:
    """Everything the lifespan starts and stops, and the narrow objects the routes take."""

    settings: Settings
    config: Config
    store: Store
    coordinators: CoordinatorGroup
    metrics: Metrics
    tracker: RunTracker
    status: StatusReader
    intake: WebhookIntake
    admin: AdminActions
    boards: BoardDirectory
    registration: RegistrationLoop | None  # None in polling-only mode (no BOARDSHEET_PUBLIC_URL)
    calendar: CalendarFeeds
    edits: EditSignalServices
    clock: Clock = time.time
    sharing: SharingAuditor | None = None  # None when no spreadsheet shares, or without Drive

    @property
    def callback_url(self) -> str | None:
        """The webhook callback URL, None in polling-only mode."""
        public = self.settings.public_url
        return callback_url(public) if public else None

    def close(self) -> None:
        """Stop the webhook intake's writer, then release the store's connections (after the
        coordinators have stopped)."""
        self.intake.close()
        self.store.close()


def _coordinators(
    settings: Settings,
    config: Config,
    store: Store,
    runner: Runner,
    tracker: RunTracker,
    metrics: Metrics,
    clock: Clock,
) -> CoordinatorGroup:
    """One coordinator per pair, all running through `runner`, their first runs spread (start_offsets).

    They share ONE set of run slots: the cap is on the process's runs at once, not each pair's.
    """
    slots = RunSlots(settings.max_concurrent_runs, metrics=metrics)
    offsets = start_offsets((pair.name, pair.reconcile_every.total_seconds()) for pair in config.pairs)
    return CoordinatorGroup(
        Coordinator(
            pair.name,
            runner,
            debounce=settings.debounce,
            max_wait=settings.max_wait,
            reconcile_every=pair.reconcile_every.total_seconds(),
            clock=clock,
            metrics=metrics,
            tracker=tracker,
            paused=store.paused(pair.name),
            # The flags are shared by every replica: a pause, resume or approval made elsewhere is followed.
            paused_source=partial(store.flags, pair.name),
            start_offset=offsets[pair.name],
            slots=slots,
            synced_source=partial(last_synced, store, pair.name),
        )
        for pair in config.pairs
    )


def last_synced(store: Store, pair: str) -> float | None:
    """When the pair's latest successful run started, in any process (epoch s); None when never, or when
    the store cannot say (the run is then done, and meets the store's trouble itself)."""
    try:
        started = store.last_synced_start(pair)
    except StoreError:
        return None
    return None if started is None else started.timestamp()


def _registration_every(config: Config) -> float:
    """Check webhooks as often as the most frequent pair reconciles."""
    return min(pair.reconcile_every.total_seconds() for pair in config.pairs)


def build_services(
    settings: Settings,
    config: Config,
    *,
    store: Store | None = None,
    trello: TrelloHooks | None = None,
    runner: Runner | None = None,
    metrics: Metrics | None = None,
    drive: DriveApi | None = None,
    clock: Clock = time.time,
) -> Services:
    """Build the container; anything passed in (tests, the demo) is used instead of being built.

    Drive is built with the real runner only: a container with a fake runner (tests) has no Drive
    unless one is passed, so it opens no push channels.
    """
    store = store if store is not None else Store(settings.database_url)
    metrics = metrics if metrics is not None else Metrics(version=__version__)
    connector = build_trello(settings, metrics=metrics) if trello is None else None
    trello = connector if connector is not None else trello
    option_names = OptionNames()
    if drive is None and runner is None:
        drive = build_drive(settings, metrics=metrics, sharing=sharing_on(config))
    attribution = build_attribution(config, store, drive)
    syncer = None
    if runner is None:
        syncer = build_syncer(
            settings, config, store=store, trello=connector, metrics=metrics, option_names=option_names,
            editors=attribution,
        )  # fmt: skip
        runner = syncer.run
    tracker = RunTracker(clock)
    boards = BoardDirectory(config)
    coordinators = _coordinators(settings, config, store, runner, tracker, metrics, clock)
    public = settings.public_url
    registration = (
        RegistrationLoop(
            trello, boards, callback_url(public), tracker, every=_registration_every(config), clock=clock
        )
        if public and trello is not None
        else None
    )
    runs = syncer if syncer is not None else getattr(runner, "__self__", None)  # a Syncer's run, passed in
    if isinstance(runs, Syncer) and registration is not None:
        live = registration  # the freshness lines say "every change within seconds" while webhooks work
        runs.webhooks_live = lambda: live.live

    status = StatusReader(
        config=config,
        store=store,
        coordinators=coordinators,
        tracker=tracker,
        option_names=option_names,
        clock=clock,
        public_url=public,
        admin_enabled=settings.admin_token is not None,
        registration=registration,
    )
    intake = WebhookIntake(boards, store, coordinators, tracker, clock)
    admin = AdminActions(store, [pair.name for pair in config.pairs], coordinators)
    secret = settings.calendar_secret
    calendar = CalendarFeeds(config, store, secret.get_secret_value() if secret else None, clock)
    every = _registration_every(config)
    edits = build_edit_signals(
        settings, config, store, coordinators, tracker,
        drive=drive, attribution=attribution, every=every, clock=clock,
    )  # fmt: skip
    return Services(
        settings,
        config,
        store,
        coordinators,
        metrics,
        tracker,
        status,
        intake,
        admin,
        boards,
        registration,
        calendar,
        edits,
        clock,
        sharing=build_sharing(
            settings,
            config,
            store,
            drive,
            identity=getattr(drive, "identity", ""),
            metrics=metrics,
            clock=clock,
        ),
    )
