"""The composition of the service: built once from Settings + Config, handed to the app factory.

ONE TrelloConnector and ONE SheetsConnector serve every pair, so their client-side rate limits bound all
pairs together; one Coordinator per pair schedules that pair's runs through the shared runner. The routes
never see this container: they take the narrow objects it holds (see app.web.deps).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from app import __version__
from app.config.models import Config
from app.config.settings import Settings, SettingsError
from app.core.changes import OptionNames
from app.runtime.admin import AdminActions
from app.runtime.calendar import CalendarFeeds
from app.runtime.coordinator import Coordinator, Runner
from app.runtime.coordinators import CoordinatorGroup
from app.runtime.intake import WebhookIntake
from app.runtime.metrics import Metrics
from app.runtime.pairs import BoardDirectory
from app.runtime.registration import RegistrationLoop, TrelloHooks, callback_url
from app.runtime.snapshots import Retention
from app.runtime.status_reader import StatusReader
from app.runtime.sync import Syncer
from app.runtime.tracker import RunTracker
from app.store.store import Store
from connectors.metering import Observer
from connectors.sheets.auth import credentials_for
from connectors.sheets.client import SheetsConnector
from connectors.trello.client import TrelloConnector

__all__ = [
    "INTERACTIVE_RETRY_SECONDS",
    "Services",
    "build_services",
    "build_sheets",
    "build_syncer",
    "build_trello",
]

Clock = Callable[[], float]
SERVICE_RETRY_SECONDS = 60.0
INTERACTIVE_RETRY_SECONDS = 4.0


def api_observer(metrics: Metrics | None, service: str) -> Observer | None:
    """A connector observer counting each response of `service` by status (None without metrics)."""
    return None if metrics is None else partial(metrics.api_request, service)


def build_trello(
    settings: Settings, *, metrics: Metrics | None = None, retry_seconds: float = 60.0
) -> TrelloConnector:
    """The one TrelloConnector of the process (SettingsError naming the missing variables)."""
    if settings.trello_api_key is None or settings.trello_token is None:
        missing = settings.missing("TRELLO_API_KEY", "TRELLO_TOKEN")
        raise SettingsError(f"set {' and '.join(missing)} to reach Trello")
    return TrelloConnector(
        settings.trello_api_key.get_secret_value(),
        settings.trello_token.get_secret_value(),
        api_url=settings.trello_api_url,
        retry_seconds=retry_seconds,
        observer=api_observer(metrics, "trello"),
    )


def build_sheets(
    settings: Settings, *, metrics: Metrics | None = None, retry_seconds: float = 60.0
) -> SheetsConnector:
    """The one SheetsConnector of the process, with the credentials the settings name."""
    api_url = settings.google_sheets_api_url
    return SheetsConnector(
        credentials_for(settings.google_application_credentials, api_url),
        api_url=api_url,
        retry_seconds=retry_seconds,
        observer=api_observer(metrics, "sheets"),
    )


def build_syncer(
    settings: Settings,
    config: Config,
    *,
    store: Store | None = None,
    trello: TrelloConnector | None = None,
    sheets: SheetsConnector | None = None,
    metrics: Metrics | None = None,
    option_names: OptionNames | None = None,
    retry_seconds: float = SERVICE_RETRY_SECONDS,
) -> Syncer:
    """A Syncer over shared connectors; anything passed in is used instead of being built.

    `retry_seconds` bounds each request's retries: the service's long budget rides out an outage,
    a person at a command line (INTERACTIVE_RETRY_SECONDS) hears within seconds what is wrong.
    """
    return Syncer(
        config,
        trello
        if trello is not None
        else build_trello(settings, metrics=metrics, retry_seconds=retry_seconds),
        sheets
        if sheets is not None
        else build_sheets(settings, metrics=metrics, retry_seconds=retry_seconds),
        store if store is not None else Store(settings.database_url),
        option_names=option_names,
        lease_ttl=timedelta(seconds=settings.lease_ttl),
        retention=retention_of(settings),
    )


def retention_of(settings: Settings) -> Retention:
    """How long and how much of each pair's tab snapshots the store keeps."""
    return Retention(timedelta(days=settings.snapshot_days), settings.snapshot_max_bytes)


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
    clock: Clock = time.time

    @property
    def callback_url(self) -> str | None:
        """The webhook callback URL, None in polling-only mode."""
        public = self.settings.public_url
        return callback_url(public) if public else None

    def close(self) -> None:
        """Release the store's connections (after the coordinators have stopped)."""
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
    """One coordinator per pair, all running through `runner`."""
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
        )
        for pair in config.pairs
    )


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
    clock: Clock = time.time,
) -> Services:
    """Build the container; anything passed in (tests, the demo) is used instead of being built."""
    store = store if store is not None else Store(settings.database_url)
    metrics = metrics if metrics is not None else Metrics(version=__version__)
    connector = build_trello(settings, metrics=metrics) if trello is None else None
    trello = connector if connector is not None else trello
    option_names = OptionNames()
    if runner is None:
        runner = build_syncer(
            settings, config, store=store, trello=connector, metrics=metrics, option_names=option_names
        ).run
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
        clock,
    )
