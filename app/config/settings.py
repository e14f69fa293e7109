"""Process settings from the environment; secrets are SecretStr and never shown.

There is no import-time instance: build one at startup with `get_settings()` (or `Settings()` in tests),
so tests and commands choose their own environment. docs/configuration.md lists every variable.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from dotenv import dotenv_values
from platformdirs import user_data_dir
from pydantic import (
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.config.accounts import parse_accounts
from app.errors import BoardsheetError

# Values that people paste from templates; an admin token must be random and long.
_PLACEHOLDERS = frozenset({"changeme", "change-me", "change_me", "secret", "password", "admin", "token"})
_MIN_ADMIN_TOKEN = 16
_MIN_CALENDAR_SECRET = 32
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
# Read from the working directory; the real environment always wins over it.
ENV_FILE = ".env"
DEFAULT_CONFIG = Path("boardsheet.yaml")


def data_dir() -> Path:
    """Where the default SQLite state lives: the platform's user data directory for boardsheet
    (`$XDG_DATA_HOME/boardsheet`, by default `~/.local/share/boardsheet` on Linux; platformdirs)."""
    return Path(user_data_dir("boardsheet", appauthor=False))


def default_database_url() -> str:
    """The state store when BOARDSHEET_DATABASE_URL is unset: a SQLite file in `data_dir()`."""
    return f"sqlite:///{data_dir() / 'boardsheet.db'}"


class SettingsError(BoardsheetError):
    """The environment is wrong; the message names variables, never their values."""


class Settings(BaseSettings):
    """Every environment variable boardsheet reads."""

    model_config = SettingsConfigDict(
        case_sensitive=False,
        populate_by_name=True,
        hide_input_in_errors=True,
        extra="ignore",
        # pydantic-settings reads .env below the real environment: a variable set in both keeps its
        # environment value (https://docs.pydantic.dev/latest/concepts/pydantic_settings/#dotenv-env-support).
        env_file=ENV_FILE,
        env_file_encoding="utf-8",
        # `VAR=` (docker-compose's `${VAR:-}`, an empty line in .env) means unset, as for every setting
        # with a default: not a value to parse ("" is no number).
        env_ignore_empty=True,
    )

    trello_api_key: SecretStr | None = Field(None, validation_alias="TRELLO_API_KEY")
    trello_token: SecretStr | None = Field(None, validation_alias="TRELLO_TOKEN")
    trello_app_secret: SecretStr | None = Field(None, validation_alias="TRELLO_APP_SECRET")
    google_application_credentials: Path | None = Field(
        None, validation_alias="GOOGLE_APPLICATION_CREDENTIALS"
    )
    # Several service accounts as NAME=KEY_FILE entries (app.config.accounts), instead of the one above.
    google_accounts: str | None = Field(None, validation_alias="BOARDSHEET_GOOGLE_ACCOUNTS")
    # Sheets requests a minute per project and kind (reads, writes), shared by every account of the project:
    # Google's default is 300 of each (https://developers.google.com/workspace/sheets/api/limits).
    sheets_project_per_minute: int = Field(
        300, ge=1, le=100_000, validation_alias="BOARDSHEET_SHEETS_PROJECT_PER_MINUTE"
    )
    # Sheets requests a minute per user (each service account) and kind: 60 reads and 60 writes by Google's
    # default; raise it only when Google has granted more. The bench scales it.
    sheets_user_per_minute: int = Field(
        60, ge=1, le=100_000, validation_alias="BOARDSHEET_SHEETS_USER_PER_MINUTE"
    )
    config_path: Path | None = Field(None, validation_alias="BOARDSHEET_CONFIG")
    # repr=False: a PostgreSQL URL may carry a password.
    database_url: str = Field(
        default_factory=default_database_url, validation_alias="BOARDSHEET_DATABASE_URL", repr=False
    )
    public_url: str | None = Field(None, validation_alias="BOARDSHEET_PUBLIC_URL")
    trello_api_url: str | None = Field(None, validation_alias="TRELLO_API_URL")
    google_sheets_api_url: str | None = Field(None, validation_alias="GOOGLE_SHEETS_API_URL")
    google_drive_api_url: str | None = Field(None, validation_alias="GOOGLE_DRIVE_API_URL")
    sheets_hint_secret: SecretStr | None = Field(None, validation_alias="BOARDSHEET_SHEETS_HINT_SECRET")
    admin_token: SecretStr | None = Field(None, validation_alias="BOARDSHEET_ADMIN_TOKEN")
    calendar_secret: SecretStr | None = Field(None, validation_alias="BOARDSHEET_CALENDAR_SECRET")
    log_format: Literal["text", "json"] = Field("text", validation_alias="BOARDSHEET_LOG_FORMAT")
    debounce: float = Field(1.0, ge=0, validation_alias="BOARDSHEET_DEBOUNCE")
    max_wait: float = Field(5.0, gt=0, validation_alias="BOARDSHEET_MAX_WAIT")
    # Seconds a run lease lives unrenewed (the heartbeat renews it every third of that while a run lasts).
    lease_ttl: float = Field(30.0, ge=3, le=3600, validation_alias="BOARDSHEET_LEASE_TTL")
    # Runs one process does at once: on PostgreSQL each holds a connection of its own (the pair's lock).
    max_concurrent_runs: int = Field(8, ge=1, le=256, validation_alias="BOARDSHEET_MAX_CONCURRENT_RUNS")
    # Days a tab snapshot is kept for `boardsheet restore` (0: keep none), and compressed bytes per pair.
    snapshot_days: int = Field(30, ge=0, le=3650, validation_alias="BOARDSHEET_SNAPSHOT_DAYS")
    snapshot_max_bytes: int = Field(50_000_000, ge=0, validation_alias="BOARDSHEET_SNAPSHOT_MAX_BYTES")
    # Seconds a client may take to send a webhook's whole body before it is answered 408.
    webhook_read_timeout: float = Field(
        10.0, gt=0, le=300, validation_alias="BOARDSHEET_WEBHOOK_READ_TIMEOUT"
    )

    @field_validator(
        "trello_api_key",
        "trello_token",
        "trello_app_secret",
        "admin_token",
        "calendar_secret",
        "sheets_hint_secret",
        mode="before",
    )
    @classmethod
    def _strip(cls, value: object) -> object:
        # A trailing newline from a secrets file is never part of the credential; blank means unset.
        if isinstance(value, str):
            return value.strip() or None
        return value

    @field_validator("google_application_credentials", mode="before")
    @classmethod
    def _blank_path(cls, value: object) -> object:
        # Compose files pass unset variables as blanks: a blank path means "no key file", not ".".
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("google_accounts")
    @classmethod
    def _accounts(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        parse_accounts(value)  # refuse a malformed list at start-up, not at the first run
        return value

    @property
    def accounts(self) -> dict[str, Path]:
        """The service accounts BOARDSHEET_GOOGLE_ACCOUNTS names, {name: key file} (empty when unset)."""
        return parse_accounts(self.google_accounts) if self.google_accounts else {}

    @property
    def drive_key_file(self) -> Path | None:
        """Drive's key file: GOOGLE_APPLICATION_CREDENTIALS, else the first account's, else None."""
        return self.google_application_credentials or next(iter(self.accounts.values()), None)

    @field_validator("public_url", "trello_api_url", "google_sheets_api_url", "google_drive_api_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        parts = urlsplit(value.strip())
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise ValueError("must be an http(s) URL such as https://boardsheet.example.org")
        return value.strip().rstrip("/")

    @model_validator(mode="after")
    def _coherent(self) -> Settings:
        if self.max_wait < self.debounce:
            raise ValueError("BOARDSHEET_MAX_WAIT must be at least BOARDSHEET_DEBOUNCE")
        return self

    @field_validator("calendar_secret")
    @classmethod
    def _strong_calendar_secret(cls, value: SecretStr | None) -> SecretStr | None:
        # Feed tokens are derived from it and the feed is meant for the internet: refuse guessable ones.
        if value is not None and len(value.get_secret_value()) < _MIN_CALENDAR_SECRET:
            raise ValueError(
                f"BOARDSHEET_CALENDAR_SECRET is shorter than {_MIN_CALENDAR_SECRET} characters; "
                'set a random value (python -c "import secrets; print(secrets.token_urlsafe(32))")'
            )
        return value

    @field_validator("admin_token")
    @classmethod
    def _strong_admin_token(cls, value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        # Declared after both API URLs, so info.data knows whether this is an emulator setup.
        urls = [info.data.get("trello_api_url"), info.data.get("google_sheets_api_url")]
        if value is not None and not _loopback(urls):
            _check_admin_token(value.get_secret_value())
        return value

    @property
    def drive_api_url(self) -> str | None:
        """Where Drive calls go: GOOGLE_DRIVE_API_URL, else GOOGLE_SHEETS_API_URL (same port), else Google."""
        return self.google_drive_api_url or self.google_sheets_api_url

    def secret_values(self) -> list[str]:
        """Every secret's value, for the log filter that masks them."""
        secrets = (
            self.trello_api_key,
            self.trello_token,
            self.trello_app_secret,
            self.admin_token,
            self.calendar_secret,
            self.sheets_hint_secret,
        )
        return [secret.get_secret_value() for secret in secrets if secret is not None]

    @staticmethod
    def environ() -> Mapping[str, str]:
        """The environment for `$env` references in the YAML: the process's, over `.env` (if any)."""
        dotenv = {k: v for k, v in dotenv_values(ENV_FILE).items() if v is not None}
        return {**dotenv, **os.environ}

    def config_file(self, given: Path | None = None) -> tuple[Path, str]:
        """The YAML to read and how it was found: `given` (-c), else BOARDSHEET_CONFIG, else
        ./boardsheet.yaml. The second value says where it looked, for a "not found" message."""
        if given is not None:
            return given, "named on the command line"
        if self.config_path is not None:
            return self.config_path, f"BOARDSHEET_CONFIG={self.config_path}"
        return DEFAULT_CONFIG, "-c FILE not given, BOARDSHEET_CONFIG unset, so ./boardsheet.yaml"

    def missing(self, *names: str) -> list[str]:
        """The environment variable names among `names` whose setting is unset."""
        fields = {_alias(name): name for name in type(self).model_fields}
        return [env for env in names if getattr(self, fields[env]) is None]


def _loopback(urls: list[str | None]) -> bool:
    """True when every URL is set and points at this machine."""
    return all(url is not None and urlsplit(url).hostname in _LOOPBACK for url in urls)


def _alias(field_name: str) -> str:
    """The environment variable a field reads."""
    alias = Settings.model_fields[field_name].validation_alias
    return alias if isinstance(alias, str) else field_name.upper()


def _check_admin_token(token: str) -> None:
    """Refuse a placeholder or short admin token (it guards pausing pairs and approving deletes)."""
    if token.strip().lower() in _PLACEHOLDERS or len(token.strip()) < _MIN_ADMIN_TOKEN:
        raise ValueError(
            f"BOARDSHEET_ADMIN_TOKEN is a placeholder or shorter than {_MIN_ADMIN_TOKEN} characters; "
            'set a random value (python -c "import secrets; print(secrets.token_urlsafe(32))") '
            "or unset it to disable the admin endpoints"
        )


def env_names() -> list[str]:
    """Every environment variable Settings reads, in declaration order."""
    return [_alias(name) for name in Settings.model_fields]


def get_settings() -> Settings:
    """Build Settings from the environment; raise SettingsError naming variables, never values."""
    try:
        return Settings()
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            where = ".".join(str(p) for p in error["loc"])
            name = _alias(where) if where in Settings.model_fields else where or "settings"
            lines.append(f"{name}: {str(error['msg']).removeprefix('Value error, ')}")
        raise SettingsError("invalid environment:\n  " + "\n  ".join(lines)) from exc
