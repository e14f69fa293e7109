"""Build the shared connectors, store and Syncer from Settings (the CLI and the service use the same)."""

from __future__ import annotations

from collections.abc import Callable

from app.config.models import Config
from app.config.settings import Settings, SettingsError
from app.core.option_names import OptionNames
from app.runtime.metrics import Metrics
from app.runtime.sync import Syncer
from app.store.store import Store
from connectors.sheets.client import SheetsConnector
from connectors.trello.client import TrelloConnector

Observer = Callable[[int], None]


def api_observer(metrics: Metrics | None, service: str) -> Observer | None:
    """A connector observer counting each response of `service` by status (None without metrics)."""
    if metrics is None:
        return None
    counted = metrics

    def observe(status: int) -> None:
        counted.api_request(service, status)

    return observe


def build_trello(settings: Settings, *, metrics: Metrics | None = None) -> TrelloConnector:
    """The one TrelloConnector of the process (SettingsError naming the missing variables)."""
    if settings.trello_api_key is None or settings.trello_token is None:
        missing = settings.missing("TRELLO_API_KEY", "TRELLO_TOKEN")
        raise SettingsError(f"set {' and '.join(missing)} to reach Trello")
    return TrelloConnector(
        settings.trello_api_key.get_secret_value(),
        settings.trello_token.get_secret_value(),
        api_url=settings.trello_api_url,
        observer=api_observer(metrics, "trello"),
    )


def build_sheets(settings: Settings, *, metrics: Metrics | None = None) -> SheetsConnector:
    """The one SheetsConnector of the process, with credentials from the environment."""
    return SheetsConnector.from_environment(
        settings.google_sheets_api_url, observer=api_observer(metrics, "sheets")
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
) -> Syncer:
    """A Syncer over shared connectors; anything passed in is used instead of being built."""
    return Syncer(
        config,
        trello if trello is not None else build_trello(settings, metrics=metrics),
        sheets if sheets is not None else build_sheets(settings, metrics=metrics),
        store if store is not None else Store(settings.database_url),
        option_names=option_names,
    )
