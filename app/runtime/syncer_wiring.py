"""The connectors and the Syncer built from Settings + Config: all `boardsheet sync` needs.

Apart from app.runtime.wiring (the service's container) so a command running one sync imports neither
the coordinators nor the metrics registry (issue 13: start-up cost).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from app.config.accounts import assign_accounts, check_accounts
from app.config.models import Config
from app.config.settings import Settings, SettingsError
from app.core.changes import OptionNames
from app.errors import ConfigError
from app.runtime.attribution import Attribution, Editors, LastEditApi
from app.runtime.snapshots import Retention
from app.runtime.sync import Syncer
from app.store.store import Store
from connectors.drive.client import DriveConnector
from connectors.metering import Observer
from connectors.sheets.auth import credentials_for
from connectors.sheets.client import SheetsConnector
from connectors.trello.client import TrelloConnector

if TYPE_CHECKING:
    from app.runtime.metrics import Metrics

__all__ = [
    "INTERACTIVE_RETRY_SECONDS",
    "SERVICE_RETRY_SECONDS",
    "build_accounts",
    "build_attribution",
    "build_drive",
    "build_sheets",
    "build_syncer",
    "build_trello",
]

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
    settings: Settings,
    *,
    metrics: Metrics | None = None,
    retry_seconds: float = 60.0,
    key_file: Path | None = None,
) -> SheetsConnector:
    """A SheetsConnector with `key_file`'s service account, else the one the settings name.

    Every connector of one Google Cloud project shares the project's limiters, one per kind (reads,
    writes: BOARDSHEET_SHEETS_PROJECT_PER_MINUTE each), each account its own per-user pair.
    """
    api_url = settings.google_sheets_api_url
    return SheetsConnector(
        credentials_for(key_file or settings.google_application_credentials, api_url),
        api_url=api_url,
        retry_seconds=retry_seconds,
        requests_per_minute=settings.sheets_user_per_minute,
        project_requests_per_minute=settings.sheets_project_per_minute,
        observer=api_observer(metrics, "sheets"),
    )


def build_accounts(
    settings: Settings, config: Config, *, metrics: Metrics | None = None, retry_seconds: float = 60.0
) -> dict[str, SheetsConnector]:
    """{pair name: its service account's connector} from BOARDSHEET_GOOGLE_ACCOUNTS (empty when unset).

    Raises ConfigError listing every pair whose `sheet.account` names no account (file and line).
    """
    accounts = settings.accounts
    problems = check_accounts(config.pairs, accounts)
    if problems:
        raise ConfigError(problems)
    connectors = {
        name: build_sheets(settings, metrics=metrics, retry_seconds=retry_seconds, key_file=path)
        for name, path in accounts.items()
    }
    return {pair: connectors[name] for pair, name in assign_accounts(config.pairs, list(accounts)).items()}


def build_drive(
    settings: Settings, *, metrics: Metrics | None = None, retry_seconds: float = 60.0, sharing: bool = False
) -> DriveConnector:
    """A DriveConnector: the Sheets credentials, its own limiter and count (`sharing`: with the `drive`
    scope that managing permissions needs); its discovery client is built at its first call."""
    return DriveConnector(
        credentials_for(settings.drive_key_file, settings.google_sheets_api_url),
        api_url=settings.drive_api_url,
        retry_seconds=retry_seconds,
        observer=api_observer(metrics, "drive"),
        sharing=sharing,
    )


def build_attribution(config: Config, store: Store, drive: LastEditApi | None) -> Attribution:
    """Who edited each pair's sheet: a run's change log (and the service's edit signals) name them."""
    return Attribution(store, drive, lambda pair: config.pair(pair).sheet.spreadsheet)


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
    editors: Editors | None = None,
    accounts: Mapping[str, SheetsConnector] | None = None,
    attribute: bool = False,
) -> Syncer:
    """A Syncer over shared connectors; anything passed in is used instead of being built.

    `retry_seconds` bounds each request's retries: the service's long budget rides out an outage,
    a person at a command line (INTERACTIVE_RETRY_SECONDS) hears within seconds what is wrong.
    With BOARDSHEET_GOOGLE_ACCOUNTS, every pair has its account's connector and GOOGLE_APPLICATION_CREDENTIALS
    is not needed. `attribute` (a sync at the command line): without `editors`, the change log names who
    edited the sheet as the service's does (a fresh instant hint, else Drive's last modifier).
    """
    if trello is None:  # first: a missing Trello key is named before any Google credential is looked up
        trello = build_trello(settings, metrics=metrics, retry_seconds=retry_seconds)
    if accounts is None:
        accounts = build_accounts(settings, config, metrics=metrics, retry_seconds=retry_seconds)
    if sheets is None:
        first = next(iter(accounts.values()), None)
        sheets = first or build_sheets(settings, metrics=metrics, retry_seconds=retry_seconds)
    store = store if store is not None else Store(settings.database_url)
    if editors is None and attribute:
        drive = build_drive(settings, metrics=metrics, retry_seconds=retry_seconds)
        editors = build_attribution(config, store, drive)
    return Syncer(
        config,
        trello,
        sheets,
        store,
        option_names=option_names,
        lease_ttl=timedelta(seconds=settings.lease_ttl),
        editors=editors,
        retention=retention_of(settings),
        accounts=accounts,
        on_trust=metrics.trust_event if metrics is not None else None,
    )


def retention_of(settings: Settings) -> Retention:
    """How long and how much of each pair's tab snapshots the store keeps."""
    return Retention(timedelta(days=settings.snapshot_days), settings.snapshot_max_bytes)
