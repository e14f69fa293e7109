"""Logging: one line per event, JSON on request, and no configured secret ever printed."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from app.config.settings import get_settings
from app.runtime.logs import MASK, RedactSecrets, configure_logging

SECRET = "s3cr3t-token-value"


@pytest.fixture
def restore_root() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(level)


def emit(fmt: str, *args: object, exc: bool = False, **extra: object) -> list[str]:
    stream = io.StringIO()
    configure_logging(fmt=fmt, secrets=[SECRET, None, "abc"], stream=stream)
    logger = logging.getLogger("boardsheet.test")
    if exc:
        try:
            raise RuntimeError(f"failed with {SECRET}")
        except RuntimeError:
            logger.exception("run failed\nbadly", extra=extra)
    else:
        logger.info(*args, extra=extra)
    return stream.getvalue().splitlines()


@pytest.mark.usefixtures("restore_root")
def test_json_lines_carry_message_and_extras() -> None:
    (line,) = emit("json", "run finished for %s", "social", pair="social", seconds=0.25)
    doc = json.loads(line)
    assert doc["message"] == "run finished for social"
    assert doc["level"] == "INFO"
    assert doc["pair"] == "social"
    assert doc["seconds"] == 0.25


@pytest.mark.usefixtures("restore_root")
def test_text_is_one_line_even_with_newlines_and_tracebacks() -> None:
    lines = emit("text", exc=True, pair="social")
    assert len(lines) == 1
    assert "run failed\\nbadly" in lines[0]
    assert "pair=social" in lines[0]
    assert "RuntimeError" in lines[0]


@pytest.mark.usefixtures("restore_root")
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_secrets_are_masked_in_message_args_extras_and_tracebacks(fmt: str) -> None:
    lines = emit(fmt, f"token {SECRET} and %s", SECRET, url=f"https://x/?token={SECRET}")
    lines += emit(fmt, exc=True, detail=[SECRET])
    output = "\n".join(lines)
    assert SECRET not in output
    assert output.count(MASK) >= 5


@pytest.mark.usefixtures("restore_root")
def test_format_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOARDSHEET_LOG_FORMAT", "json")
    stream = io.StringIO()
    fmt = get_settings().log_format  # the environment is read by the settings, once
    configure_logging(fmt=fmt, stream=stream)
    configure_logging(fmt=fmt, stream=stream)  # reconfiguring replaces, never duplicates
    logging.getLogger("boardsheet.test").warning("hello")
    (line,) = stream.getvalue().splitlines()
    assert json.loads(line)["message"] == "hello"


def test_short_or_empty_secrets_are_ignored() -> None:
    redact = RedactSecrets(["", None, "abc"])
    assert redact.secrets == []
    assert redact.redact("abc def") == "abc def"


@pytest.mark.usefixtures("restore_root")
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_uvicorns_ansi_colour_message_never_leaks(fmt: str) -> None:
    # uvicorn logs "Uvicorn running on %s" with extra={"color_message": <the same with ANSI codes>}.
    (line,) = emit(fmt, "Uvicorn running on %s", "http://127.0.0.1:8000", color_message="\x1b[1m%s\x1b[0m")
    assert "\x1b" not in line and "\\u001b" not in line and "color_message" not in line
    assert "Uvicorn running on http://127.0.0.1:8000" in line


def test_a_paused_pair_gets_a_startup_line(tmp_path: object, caplog: pytest.LogCaptureFixture) -> None:
    from fastapi.testclient import TestClient

    from app.main import create_app
    from app.runtime.wiring import build_services
    from app.store.store import Store
    from tests.support.services import FakeRunner, FakeTrello, make_config, make_settings

    settings = make_settings(tmp_path)
    store = Store(settings.database_url)
    store.set_paused("beta", True, by="ops@box", reason="sheet migration")
    services = build_services(settings, make_config(), store=store, trello=FakeTrello(), runner=FakeRunner())
    caplog.set_level(logging.INFO, logger="app.main")
    with TestClient(create_app(services=services)):
        pass
    paused = [r for r in caplog.records if "is paused" in r.getMessage()]
    assert [r.getMessage() for r in paused] == [
        "pair beta is paused by ops@box (sheet migration): nothing syncs it until `boardsheet resume beta`"
    ]
    assert paused[0].levelno == logging.WARNING
