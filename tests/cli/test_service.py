"""`boardsheet webhooks list|ensure|remove` against the Trello emulator, and `boardsheet serve`'s checks."""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from app.cli import service as cli_service
from app.cli.main import app
from connectors.trello.client import TrelloConnector
from tests.support.trello_emulator import KEY, OPS, Receiver, TrelloEmulator

runner = CliRunner()
ENV_NAMES = (
    "TRELLO_API_KEY",
    "TRELLO_TOKEN",
    "TRELLO_APP_SECRET",
    "TRELLO_API_URL",
    "GOOGLE_SHEETS_API_URL",
    "GOOGLE_APPLICATION_CREDENTIALS",
    "BOARDSHEET_CONFIG",
    "BOARDSHEET_DATABASE_URL",
    "BOARDSHEET_PUBLIC_URL",
    "BOARDSHEET_ADMIN_TOKEN",
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing from the developer's environment leaks into these commands."""
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def public_url(shared_receiver: Receiver) -> str:
    """Our public base URL: a receiver answering Trello's HEAD check on /webhooks/trello with 200."""
    return shared_receiver.base


@pytest.fixture
def trello(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, public_url: str, trello_emulator: TrelloEmulator
) -> Iterator[TrelloConnector]:
    """A Trello emulator, the environment pointing at it, and a YAML naming two of its boards."""
    connector = TrelloConnector(KEY, OPS, api_url=trello_emulator.url, retry_seconds=2)
    one, two = connector.create_board("One"), connector.create_board("Two")
    config = tmp_path / "boardsheet.yaml"
    config.write_text(
        "pairs:\n"
        + "".join(
            f"  - name: {name}\n"
            f"    trello: {{board: {board}}}\n"
            f"    sheet: {{spreadsheet: s{name}, tab: Calendar}}\n"
            "    columns: [{header: Title, field: name}]\n"
            for name, board in (("one", one["id"]), ("two", two["shortLink"]))
        ),
        encoding="utf-8",
    )
    env = {
        "TRELLO_API_KEY": KEY,
        "TRELLO_TOKEN": OPS,
        "TRELLO_API_URL": trello_emulator.url,
        "BOARDSHEET_CONFIG": str(config),
        "BOARDSHEET_PUBLIC_URL": public_url,
        "BOARDSHEET_DATABASE_URL": f"sqlite:///{tmp_path / 'state.db'}",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    yield connector


def free_port() -> int:
    """A port nothing listens on now, on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def ours(trello: TrelloConnector, public_url: str) -> list[dict[str, Any]]:
    return [h for h in trello.list_webhooks() if h["callbackURL"] == public_url + "/webhooks/trello"]


@pytest.mark.http
def test_ensure_list_remove(trello: TrelloConnector, public_url: str) -> None:
    empty = runner.invoke(app, ["webhooks", "list"])
    assert empty.exit_code == 0 and empty.output.startswith("no webhooks: this Trello token has none")
    assert "┏" not in empty.output  # one line, no empty table

    result = runner.invoke(app, ["webhooks", "ensure"])
    assert result.exit_code == 0, result.output
    assert "2 created" in result.output
    assert len(ours(trello, public_url)) == 2

    again = runner.invoke(app, ["webhooks", "ensure"])
    assert again.exit_code == 0 and "2 kept, 0 created" in again.output
    assert len(ours(trello, public_url)) == 2

    listed = runner.invoke(app, ["webhooks", "list"], env={"COLUMNS": "250"})
    assert listed.exit_code == 0
    for hook in ours(trello, public_url):
        assert hook["id"] in listed.output

    removed = runner.invoke(app, ["webhooks", "remove"])
    assert removed.exit_code == 0, removed.output
    assert "2 deleted" in removed.output and "0 webhook(s) of ours remain" in removed.output
    assert ours(trello, public_url) == []


@pytest.mark.http
def test_remove_never_touches_other_webhooks(trello: TrelloConnector, public_url: str) -> None:
    board = trello.create_board("Elsewhere")
    foreign = trello.create_webhook(board["id"], public_url + "/webhooks/trello?someone-else")
    assert runner.invoke(app, ["webhooks", "ensure"]).exit_code == 0
    assert runner.invoke(app, ["webhooks", "remove"]).exit_code == 0
    assert [h["id"] for h in trello.list_webhooks()] == [foreign["id"]]


@pytest.mark.http
def test_a_changed_public_url_replaces_our_webhooks_and_remove_finds_every_host(
    trello: TrelloConnector, public_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert public_url.startswith("http://127.0.0.1:")
    assert runner.invoke(app, ["webhooks", "ensure"]).exit_code == 0
    old_ids = {h["id"] for h in ours(trello, public_url)}
    assert len(old_ids) == 2
    moved = public_url.replace("127.0.0.1", "localhost")
    monkeypatch.setenv("BOARDSHEET_PUBLIC_URL", moved)
    listed = runner.invoke(app, ["webhooks", "list", "--json"])
    assert listed.exit_code == 0
    assert {h["id"] for h in json.loads(listed.output) if h["ours"] and h["stale"]} == old_ids
    config = os.environ["BOARDSHEET_CONFIG"]
    table = runner.invoke(app, ["webhooks", "list", "-c", config])
    assert f"`boardsheet webhooks ensure -c {config}` replaces them" in " ".join(table.output.split())

    result = runner.invoke(app, ["webhooks", "ensure"])
    assert result.exit_code == 0, result.output
    assert "2 replaced" in result.output and "2 deleted" in result.output
    hooks = trello.list_webhooks()
    assert sorted(h["callbackURL"] for h in hooks) == [moved + "/webhooks/trello"] * 2
    assert not old_ids & {h["id"] for h in hooks}

    # Back on the old host and without the URL at all, `remove` still knows them all as ours.
    monkeypatch.delenv("BOARDSHEET_PUBLIC_URL")
    removed = runner.invoke(app, ["webhooks", "remove"])
    assert removed.exit_code == 0, removed.output
    assert "2 deleted" in removed.output and trello.list_webhooks() == []


@pytest.mark.http
def test_ensure_without_public_url_is_bad_usage(
    trello: TrelloConnector, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BOARDSHEET_PUBLIC_URL")
    result = runner.invoke(app, ["webhooks", "ensure"])
    assert result.exit_code == 2
    assert "BOARDSHEET_PUBLIC_URL" in result.output
    assert trello.list_webhooks() == []


def test_missing_credentials_are_bad_usage() -> None:
    result = runner.invoke(app, ["webhooks", "list"])
    assert result.exit_code == 2
    assert "TRELLO_API_KEY" in result.output and "TRELLO_TOKEN" in result.output


@pytest.mark.http
@pytest.mark.parametrize(
    "words",
    [
        ["webhooks", "list"],
        ["webhooks", "ensure"],
        ["webhooks", "remove"],
        ["undo-archive", "one", "--by", "alice", "--since", "1 hour ago", "--yes"],
    ],
    ids=" ".join,
)
def test_a_refused_token_is_bad_configuration_without_the_secret(
    trello: TrelloConnector, monkeypatch: pytest.MonkeyPatch, words: list[str]
) -> None:
    # Every command, like `sync`: refused credentials are bad configuration (2), as missing ones are.
    monkeypatch.setenv("TRELLO_TOKEN", "token-nobody-knows-123")
    result = runner.invoke(app, words)
    assert result.exit_code == 2, result.output
    assert "token-nobody-knows-123" not in result.output and "Traceback" not in result.output


def test_serve_with_a_bad_config_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "bad.yaml"
    config.write_text("pairs: []\n", encoding="utf-8")
    monkeypatch.setenv("BOARDSHEET_CONFIG", str(config))
    monkeypatch.setattr(cli_service.uvicorn, "run", lambda *a, **k: pytest.fail("must not serve"))
    result = runner.invoke(app, ["serve"])
    assert result.exit_code == 2
    assert "bad.yaml" in result.output


@pytest.mark.http
def test_serve_runs_one_worker_with_the_built_app(
    trello: TrelloConnector, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRELLO_APP_SECRET", "emulator-secret")
    monkeypatch.setenv("GOOGLE_SHEETS_API_URL", "http://127.0.0.1:9")  # never called: nothing is started
    servers: list[Any] = []

    def run(server: Any) -> None:
        servers.append(server)
        server.started = True

    monkeypatch.setattr(cli_service._Server, "run", run)
    result = runner.invoke(app, ["serve", "--host", "127.0.0.1", "--port", "8123"])
    assert result.exit_code == 0, result.output
    (server,) = servers
    options = server.config
    assert options.workers == 1 and options.port == 8123 and options.host == "127.0.0.1"
    served = options.app
    assert sorted(c.name for c in served.state.services.coordinators) == ["one", "two"]
    assert not served.state.listening.is_set()  # set by the server once its socket listens
    served.state.services.close()


@pytest.mark.http  # the service in a subprocess, the Trello emulator checking its callback URL
def test_serve_registers_its_webhooks_once_listening_without_a_warning(
    trello: TrelloConnector, tmp_path: Path
) -> None:
    # The first registration pass ran while uvicorn was still binding: Trello's HEAD check of the callback
    # was refused, a warning was logged at every start, and the retry came a reconcile period later.
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if k not in ENV_NAMES} | {
        name: os.environ[name] for name in ENV_NAMES if name in os.environ
    }
    env |= {"BOARDSHEET_PUBLIC_URL": url, "TRELLO_APP_SECRET": "emulator-secret"}
    env |= {"GOOGLE_SHEETS_API_URL": "http://127.0.0.1:9"}  # runs fail; registration needs Trello only
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        child = subprocess.Popen(
            [sys.executable, "-m", "app", "serve", "--port", str(port)], env=env, stdout=out, stderr=out
        )
        try:
            deadline = time.monotonic() + 30
            while len([h for h in ours(trello, url) if h["active"]]) < 2:
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.1)
        finally:
            child.kill()  # its runs retry an unreachable Sheets API: a graceful stop would wait for them
            child.wait(15)
    assert "webhook registration failed" not in log.read_text()


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """`serve` configures the root logger; put it back as it was."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


def test_serve_with_an_unreadable_google_key_file_exits_2_without_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "boardsheet.yaml"
    config.write_text(
        "pairs:\n  - name: p\n    trello: {board: 5f1c0ffee0ddba11cafe0001}\n"
        "    sheet: {spreadsheet: abc, tab: T}\n    columns: [{header: Title, field: name}]\n"
    )
    key_file = tmp_path / "key.json"
    key_file.write_text("{not json")
    for name, value in {
        "BOARDSHEET_CONFIG": str(config),
        "BOARDSHEET_DATABASE_URL": f"sqlite:///{tmp_path / 's.db'}",
        "TRELLO_API_KEY": "k",
        "TRELLO_TOKEN": "t",
        "GOOGLE_APPLICATION_CREDENTIALS": str(key_file),
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("GOOGLE_SHEETS_API_URL", raising=False)
    monkeypatch.delenv("BOARDSHEET_PUBLIC_URL", raising=False)
    result = CliRunner().invoke(app, ["serve"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


@pytest.mark.http  # binds a port to make it busy
def test_serve_on_a_port_in_use_exits_2_naming_the_address(
    trello: TrelloConnector, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOOGLE_SHEETS_API_URL", "http://127.0.0.1:9")  # emulator credentials, never reached
    monkeypatch.delenv("BOARDSHEET_PUBLIC_URL")  # polling only: nothing more to set up
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = runner.invoke(app, ["serve", "--port", str(port)])
    assert result.exit_code == 2, result.output
    assert (
        f"cannot listen on 127.0.0.1:{port}: Address already in use; choose another --port" in result.output
    )
