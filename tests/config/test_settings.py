"""Settings: read from the environment, refuse placeholder admin tokens, never show a secret."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from app.config.settings import Settings, SettingsError, default_database_url, env_names, get_settings
from app.errors import BoardsheetError
from tests.support.paths import ROOT

STRONG = "Zq8w3nV7xT2kLp9rM4sB"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in env_names():
        monkeypatch.delenv(name, raising=False)


def test_defaults() -> None:
    settings = get_settings()
    assert settings.config_path is None  # unset: -c FILE, else ./boardsheet.yaml
    assert settings.config_file()[0] == Path("boardsheet.yaml")
    assert settings.config_file(Path("x.yaml"))[0] == Path("x.yaml")
    assert settings.database_url == default_database_url()
    assert default_database_url().endswith("/boardsheet/boardsheet.db")
    assert settings.admin_token is None
    assert (settings.log_format, settings.debounce, settings.max_wait) == ("text", 1.0, 5.0)
    assert settings.missing("TRELLO_API_KEY", "TRELLO_TOKEN") == ["TRELLO_API_KEY", "TRELLO_TOKEN"]


def test_reads_every_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    values = {
        "TRELLO_API_KEY": "key-123\n",
        "TRELLO_TOKEN": "tok-456",
        "TRELLO_APP_SECRET": "app-789",
        "GOOGLE_APPLICATION_CREDENTIALS": "/secrets/sa.json",
        "BOARDSHEET_CONFIG": "/config/boardsheet.yaml",
        "BOARDSHEET_DATABASE_URL": "postgresql+psycopg://u:pw@db/bs",
        "BOARDSHEET_PUBLIC_URL": "https://bs.example.org/",
        "BOARDSHEET_ADMIN_TOKEN": STRONG,
        "BOARDSHEET_LOG_FORMAT": "json",
        "BOARDSHEET_DEBOUNCE": "0.5",
        "BOARDSHEET_MAX_WAIT": "2",
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    settings = get_settings()
    assert settings.trello_api_key is not None
    assert settings.trello_api_key.get_secret_value() == "key-123"  # a trailing newline is not the key
    assert settings.google_application_credentials == Path("/secrets/sa.json")
    assert settings.config_path == Path("/config/boardsheet.yaml")
    assert settings.public_url == "https://bs.example.org"
    assert (settings.log_format, settings.debounce, settings.max_wait) == ("json", 0.5, 2.0)
    assert settings.missing("TRELLO_API_KEY", "TRELLO_TOKEN", "TRELLO_APP_SECRET") == []
    shown = repr(settings) + str(settings)
    for secret in ("key-123", "tok-456", "app-789", STRONG, "pw@db"):
        assert secret not in shown


def test_the_run_cap_defaults_to_eight_and_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert get_settings().max_concurrent_runs == 8
    monkeypatch.setenv("BOARDSHEET_MAX_CONCURRENT_RUNS", "3")
    assert get_settings().max_concurrent_runs == 3


@pytest.mark.parametrize("token", ["changeme", "secret", "CHANGEME", "short-random"])
def test_placeholder_admin_tokens_refused(monkeypatch: pytest.MonkeyPatch, token: str) -> None:
    monkeypatch.setenv("BOARDSHEET_ADMIN_TOKEN", token)
    with pytest.raises(SettingsError) as info:
        get_settings()
    assert isinstance(info.value, BoardsheetError)
    assert "BOARDSHEET_ADMIN_TOKEN" in str(info.value)
    # The message is the same whatever the token: it cannot carry the value.
    monkeypatch.setenv("BOARDSHEET_ADMIN_TOKEN", "other-weak")
    with pytest.raises(SettingsError) as other:
        get_settings()
    assert str(info.value) == str(other.value)


def test_a_blank_admin_token_disables_the_admin_api_and_whitespace_is_trimmed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # docker compose passes `${BOARDSHEET_ADMIN_TOKEN:-}` as an empty string when the user sets none.
    monkeypatch.setenv("BOARDSHEET_ADMIN_TOKEN", "  ")
    monkeypatch.setenv("TRELLO_API_URL", "http://127.0.0.1:8101")
    monkeypatch.setenv("GOOGLE_SHEETS_API_URL", "http://127.0.0.1:8102")
    assert get_settings().admin_token is None
    monkeypatch.setenv("BOARDSHEET_ADMIN_TOKEN", STRONG + "\n")  # read from a secrets file
    token = get_settings().admin_token
    assert token is not None and token.get_secret_value() == STRONG


def test_weak_admin_token_allowed_against_local_emulators(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOARDSHEET_ADMIN_TOKEN", "changeme")
    monkeypatch.setenv("TRELLO_API_URL", "http://127.0.0.1:8101")
    monkeypatch.setenv("GOOGLE_SHEETS_API_URL", "http://localhost:8102/")
    settings = get_settings()
    assert settings.admin_token is not None
    assert settings.google_sheets_api_url == "http://localhost:8102"
    # One real API is enough to demand a real token.
    monkeypatch.setenv("GOOGLE_SHEETS_API_URL", "https://sheets.googleapis.com")
    with pytest.raises(SettingsError):
        get_settings()


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("BOARDSHEET_LOG_FORMAT", "xml", "BOARDSHEET_LOG_FORMAT"),
        ("BOARDSHEET_PUBLIC_URL", "ftp://x", "http(s) URL"),
        ("BOARDSHEET_MAX_WAIT", "0.5", "at least BOARDSHEET_DEBOUNCE"),
        ("BOARDSHEET_DEBOUNCE", "-1", "BOARDSHEET_DEBOUNCE"),
        ("BOARDSHEET_MAX_CONCURRENT_RUNS", "0", "BOARDSHEET_MAX_CONCURRENT_RUNS"),
        ("BOARDSHEET_MAX_CONCURRENT_RUNS", "many", "BOARDSHEET_MAX_CONCURRENT_RUNS"),
    ],
)
def test_bad_values_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, words: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=r"invalid environment") as info:
        get_settings()
    assert words in str(info.value)


def test_error_chain_hides_secret_inputs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOARDSHEET_ADMIN_TOKEN", "changeme")
    with pytest.raises(SettingsError) as info:
        get_settings()
    assert "changeme" not in str(info.value.__cause__)


def test_settings_built_in_code() -> None:
    settings = Settings(trello_token=" tok-abc ", admin_token=STRONG)
    assert settings.trello_token is not None and settings.trello_token.get_secret_value() == "tok-abc"
    assert "tok-abc" not in repr(settings)


def test_the_calendar_secret_is_a_secret_and_must_be_long(monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "cal-" + STRONG * 2
    monkeypatch.setenv("BOARDSHEET_CALENDAR_SECRET", secret + "\n")
    settings = get_settings()
    assert settings.calendar_secret is not None
    assert settings.calendar_secret.get_secret_value() == secret
    assert secret in settings.secret_values()  # masked in logs
    assert secret not in repr(settings)
    monkeypatch.setenv("BOARDSHEET_CALENDAR_SECRET", "short")
    with pytest.raises(SettingsError, match="BOARDSHEET_CALENDAR_SECRET is shorter than 32") as raised:
        get_settings()
    assert "short" not in str(raised.value).replace("shorter", "")


def test_drive_follows_the_sheets_emulator_unless_named(monkeypatch: pytest.MonkeyPatch) -> None:
    assert get_settings().drive_api_url is None  # Google's own endpoint
    monkeypatch.setenv("GOOGLE_SHEETS_API_URL", "http://127.0.0.1:8102/")
    assert get_settings().drive_api_url == "http://127.0.0.1:8102"  # the emulator serves Drive there too
    monkeypatch.setenv("GOOGLE_DRIVE_API_URL", "http://127.0.0.1:8103")
    assert get_settings().drive_api_url == "http://127.0.0.1:8103"
    monkeypatch.setenv("GOOGLE_DRIVE_API_URL", "ftp://nope")
    with pytest.raises(SettingsError, match="GOOGLE_DRIVE_API_URL"):
        get_settings()


def test_the_hint_secret_is_a_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOARDSHEET_SHEETS_HINT_SECRET", "hint-secret-value\n")
    settings = get_settings()
    assert settings.sheets_hint_secret is not None
    assert settings.sheets_hint_secret.get_secret_value() == "hint-secret-value"
    assert "hint-secret-value" in settings.secret_values()  # masked in logs
    assert "hint-secret-value" not in repr(settings)


# What reads the process environment (or a .env file) directly.
_ENV_READERS = {"environ", "getenv", "getenvb", "environb", "dotenv", "dotenv_values", "load_dotenv"}
_ENV_MODULES = {"dotenv", "pydantic_settings"}


def _reads_environment(tree: ast.Module) -> list[str]:
    """Where a module touches the environment itself: os.environ, getenv, dotenv, pydantic-settings."""
    found = []
    for node in ast.walk(tree):
        # os.environ, os.getenv (Settings.environ() is the settings' own accessor: the one way in).
        if isinstance(node, ast.Attribute) and node.attr in _ENV_READERS and ast.unparse(node.value) == "os":
            found.append(f"line {node.lineno}: .{node.attr}")
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = {a.name for a in node.names}
            from_os = node.module == "os" and bool(names & _ENV_READERS)
            if from_os or node.module.partition(".")[0] in _ENV_MODULES:
                found.append(f"line {node.lineno}: from {node.module} import {', '.join(sorted(names))}")
        elif isinstance(node, ast.Import):
            found += [f"line {node.lineno}: import {a.name}" for a in node.names if a.name in _ENV_MODULES]
    return found


def test_the_environment_is_read_in_settings_only() -> None:
    settings = ROOT / "app" / "config" / "settings.py"
    readers = {
        str(path.relative_to(ROOT)): where
        for top in ("app", "connectors")
        for path in sorted((ROOT / top).rglob("*.py"))
        if path != settings and (where := _reads_environment(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert not readers, f"read the environment through app.config.settings and pass values: {readers}"
    assert _reads_environment(ast.parse(settings.read_text(encoding="utf-8")))  # the check sees a reader


def test_the_environment_check_sees_every_way_in() -> None:
    text = (
        "import os\nfrom os import getenv\nimport dotenv\n"
        "from pydantic_settings import BaseSettings\nos.environ\n"
    )
    assert len(_reads_environment(ast.parse(text))) == 4


def test_an_empty_variable_means_unset_not_a_value_to_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    # docker-compose's `${VAR:-}` passes an empty string: the default applies, start-up does not fail.
    monkeypatch.setenv("BOARDSHEET_MAX_CONCURRENT_RUNS", "")
    monkeypatch.setenv("BOARDSHEET_SHEETS_USER_PER_MINUTE", "")
    settings = Settings()
    assert (settings.max_concurrent_runs, settings.sheets_user_per_minute) == (8, 60)
