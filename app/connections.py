"""Build the shared connectors, store and Syncer from Settings (the CLI and the service use the same)."""

from __future__ import annotations

from app.config import Config
from app.settings import Settings, SettingsError
from app.store import Store
from app.sync import Syncer
from connectors.sheets import SheetsConnector
from connectors.trello import TrelloConnector


def build_trello(settings: Settings) -> TrelloConnector:
    """The one TrelloConnector of the process (SettingsError naming the missing variables)."""
    if settings.trello_api_key is None or settings.trello_token is None:
        missing = settings.missing("TRELLO_API_KEY", "TRELLO_TOKEN")
        raise SettingsError(f"set {' and '.join(missing)} to reach Trello")
    return TrelloConnector(
        settings.trello_api_key.get_secret_value(),
        settings.trello_token.get_secret_value(),
        api_url=settings.trello_api_url,
    )


def build_sheets(settings: Settings) -> SheetsConnector:
    """The one SheetsConnector of the process, with credentials from the environment."""
    return SheetsConnector.from_environment(settings.google_sheets_api_url)


def build_syncer(
    settings: Settings,
    config: Config,
    *,
    store: Store | None = None,
    trello: TrelloConnector | None = None,
    sheets: SheetsConnector | None = None,
) -> Syncer:
    """A Syncer over shared connectors; anything passed in is used instead of being built."""
    return Syncer(
        config,
        trello if trello is not None else build_trello(settings),
        sheets if sheets is not None else build_sheets(settings),
        store if store is not None else Store(settings.database_url),
    )
