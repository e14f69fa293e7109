"""`boardsheet serve` and `boardsheet webhooks list|ensure|remove`.

Exit codes follow the contract: 0 done, 2 bad usage or configuration, 1 a failure talking to Trello.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
import uvicorn
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from app.config.models import Config, load_config
from app.config.settings import Settings, get_settings
from app.errors import BoardsheetError, StoreError
from app.main import create_app
from app.runtime.connections import build_trello
from app.runtime.registration import Report, ensure_webhooks, our_webhooks, remove_webhooks
from app.runtime.services import configured_boards
from app.web.webhooks import callback_url
from connectors.errors import ConnectorError

__all__ = ["serve", "webhooks_app"]

EXIT_FAILED = 1
EXIT_BAD_USAGE = 2

webhooks_app = typer.Typer(help="List, ensure or remove boardsheet's Trello webhooks.", no_args_is_help=True)


def _error(message: str, code: int) -> typer.Exit:
    """Print `message` to stderr; the Exit to raise."""
    Console(stderr=True, highlight=False).print(f"[red]error:[/red] {escape(message)}", soft_wrap=True)
    return typer.Exit(code)


def serve(
    host: Annotated[str, typer.Option(envvar="BOARDSHEET_HOST", help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(envvar="BOARDSHEET_PORT", help="port to listen on")] = 8000,
) -> None:
    """Run the service: webhooks, timers, status page (one uvicorn worker; state lives in the store)."""
    try:
        app = create_app()
    except StoreError as exc:
        raise _error(str(exc), EXIT_FAILED) from exc
    except (BoardsheetError, ConnectorError) as exc:  # bad settings or config, unusable credentials
        raise _error(str(exc), EXIT_BAD_USAGE) from exc
    # One worker: each pair's coordinator must be the only one scheduling that pair in this process.
    uvicorn.run(app, host=host, port=port, workers=1, log_config=None, access_log=False)


def _setup(*, need_url: bool, need_config: bool) -> tuple[Settings, Any, str | None, Config | None]:
    """Settings, a TrelloConnector, our callback URL and the config; exit 2 when something is missing."""
    try:
        settings = get_settings()
        trello = build_trello(settings)
        config = load_config(settings.config_path) if need_config else None
    except BoardsheetError as exc:
        raise _error(str(exc), EXIT_BAD_USAGE) from exc
    url = callback_url(settings.public_url) if settings.public_url else None
    if need_url and url is None:
        raise _error("set BOARDSHEET_PUBLIC_URL: boardsheet's webhooks call it back", EXIT_BAD_USAGE)
    return settings, trello, url, config


def _print_report(report: Report) -> None:
    """The summary, then every failure; exit 1 when something failed."""
    console = Console(highlight=False)
    for label, items in (
        ("created", report.created),
        ("recreated", report.recreated),
        ("deleted", report.deleted),
    ):
        for item in items:
            console.print(f"{label}: {escape(item)}")
    console.print(report.summary())
    if not report.ok:
        raise _error("; ".join(report.errors), EXIT_FAILED)


@webhooks_app.command("list")
def list_command() -> None:
    """Show the token's webhooks, marking ours (those calling BOARDSHEET_PUBLIC_URL)."""
    _settings, trello, url, _config = _setup(need_url=False, need_config=False)
    try:
        hooks = trello.list_webhooks()
    except ConnectorError as exc:
        raise _error(str(exc), EXIT_FAILED) from exc
    table = Table("id", "board", "callback URL", "active", "ours")
    for hook in hooks:
        table.add_row(
            escape(str(hook.get("id", ""))),
            escape(str(hook.get("idModel", ""))),
            escape(str(hook.get("callbackURL", ""))),
            "yes" if hook.get("active", True) else "no",
            "yes" if url is not None and hook.get("callbackURL") == url else "",
        )
    Console(highlight=False).print(table)
    if url is None:
        Console(highlight=False).print(
            "BOARDSHEET_PUBLIC_URL is not set: cannot tell which webhooks are ours"
        )


@webhooks_app.command("ensure")
def ensure_command() -> None:
    """Give every configured board exactly one active webhook; remove ours for other boards."""
    _settings, trello, url, config = _setup(need_url=True, need_config=True)
    assert url is not None and config is not None
    try:
        boards = configured_boards(trello, config, {})
        report = ensure_webhooks(trello, boards, url)
    except (ConnectorError, ValueError) as exc:
        raise _error(str(exc), EXIT_FAILED) from exc
    _print_report(report)


@webhooks_app.command("remove")
def remove_command(
    board: Annotated[
        list[str] | None, typer.Option("--board", help="only this board id (repeatable); all if unset")
    ] = None,
) -> None:
    """Delete boardsheet's webhooks (those calling BOARDSHEET_PUBLIC_URL); others are never touched."""
    _settings, trello, url, _config = _setup(need_url=True, need_config=False)
    assert url is not None
    try:
        report = remove_webhooks(trello, url, board or None)
        remaining = len(our_webhooks(trello, url))
    except ConnectorError as exc:
        raise _error(str(exc), EXIT_FAILED) from exc
    _print_report(report)
    Console(highlight=False).print(f"{remaining} webhook(s) of ours remain")
