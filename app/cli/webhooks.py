"""`boardsheet webhooks list|ensure|remove`: boardsheet's Trello webhooks, by hand.

Exit codes follow the contract: 0 done, 2 bad usage or configuration, 1 a failure talking to Trello.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from app.cli.common import (
    EXIT_BAD_USAGE,
    EXIT_FAILED,
    ConfigOpt,
    JsonOpt,
    command,
    exit_for,
    fail,
    load,
    out,
    print_json,
)
from app.cli.help import PlainCommand, plain_typer
from app.config.models import Config
from app.config.settings import get_settings
from app.errors import BoardsheetError
from app.runtime.own_webhooks import is_ours, is_stale
from app.runtime.pairs import BoardDirectory
from app.runtime.registration import Report, callback_url, ensure_webhooks, our_webhooks, remove_webhooks
from app.runtime.syncer_wiring import INTERACTIVE_RETRY_SECONDS, build_trello
from connectors.errors import ConnectorError
from connectors.trello.client import TrelloConnector

__all__ = ["webhooks_app"]

webhooks_app = plain_typer(help="List, ensure or remove boardsheet's Trello webhooks.", no_args_is_help=True)


def _trello(*, need_url: bool) -> tuple[TrelloConnector, str | None]:
    """A TrelloConnector and our callback URL; exit 2 when something is missing."""
    try:
        settings = get_settings()
        trello = build_trello(settings, retry_seconds=INTERACTIVE_RETRY_SECONDS)
    except BoardsheetError as exc:
        raise fail(str(exc), EXIT_BAD_USAGE) from exc
    url = callback_url(settings.public_url) if settings.public_url else None
    if need_url and url is None:
        raise fail("set BOARDSHEET_PUBLIC_URL: boardsheet's webhooks call it back", EXIT_BAD_USAGE)
    return trello, url


def _print_report(report: Report) -> None:
    """The summary, then every failure; exit 1 when something failed."""
    for label, items in (
        ("created", report.created),
        ("recreated", report.recreated),
        ("replaced", report.replaced),
        ("deleted", report.deleted),
    ):
        for item in items:
            out.print(f"{label}: {escape(item)}")
    out.print(report.summary())
    if not report.ok:
        raise fail("; ".join(report.errors), EXIT_FAILED)


@webhooks_app.command("list", cls=PlainCommand)
def list_command(config: ConfigOpt = None, as_json: JsonOpt = False) -> None:
    """Show the token's webhooks, marking ours (our description or BOARDSHEET_PUBLIC_URL) and stale ones."""
    if config is not None:
        load(config)  # the same checks as every command that takes -c
    trello, url = _trello(need_url=False)
    try:
        hooks = trello.list_webhooks()
    except ConnectorError as exc:
        raise fail(str(exc), exit_for(exc)) from exc
    if as_json:
        print_json([{**hook, "ours": is_ours(hook, url), "stale": is_stale(hook, url)} for hook in hooks])
        return
    if not hooks:  # one line, like a plan with nothing to do, not an empty table
        ensure = escape(command("webhooks", "ensure", config=config))
        out.print(f"no webhooks: this Trello token has none (`{ensure}` registers ours)")
        return
    table = Table("id", "board", "callback URL", "active", "ours")
    for hook in hooks:
        table.add_row(
            escape(str(hook.get("id", ""))),
            escape(str(hook.get("idModel", ""))),
            escape(str(hook.get("callbackURL", ""))),
            "yes" if hook.get("active", True) else "no",
            _ours_mark(hook, url),
        )
    out.print(table)
    if url is None:
        out.print("BOARDSHEET_PUBLIC_URL is not set: ours are known by their description only")
    if any(is_stale(hook, url) for hook in hooks):
        ensure = escape(command("webhooks", "ensure", config=config))
        out.print(f"stale: ours, calling an older public URL; `{ensure}` replaces them")


def _ours_mark(hook: dict[str, Any], url: str | None) -> str:
    """The "ours" cell: yes, stale (ours, calling another URL) or empty."""
    if is_stale(hook, url):
        return "stale"
    return "yes" if is_ours(hook, url) else ""


@webhooks_app.command("ensure", cls=PlainCommand)
def ensure_command(config: ConfigOpt = None) -> None:
    """Give every configured board exactly one active webhook; remove ours for other boards."""
    _settings, loaded = load(config)
    trello, url = _trello(need_url=True)
    assert url is not None
    try:
        report = ensure_webhooks(trello, _descriptions(trello, loaded), url)
    except (ConnectorError, ValueError) as exc:
        raise fail(str(exc), exit_for(exc)) from exc
    _print_report(report)


def _descriptions(trello: TrelloConnector, config: Config) -> dict[str, str]:
    """Board id -> webhook description for every configured board."""
    return BoardDirectory(config).webhook_descriptions(trello)


@webhooks_app.command("remove", cls=PlainCommand)
def remove_command(
    board: Annotated[
        list[str] | None, typer.Option("--board", help="only this board id (repeatable); all if unset")
    ] = None,
    config: ConfigOpt = None,
) -> None:
    """Delete boardsheet's webhooks, whatever URL they call (ours by description or
    BOARDSHEET_PUBLIC_URL); others are never touched."""
    if config is not None:
        load(config)
    trello, url = _trello(need_url=False)
    try:
        report = remove_webhooks(trello, url, board or None)
        remaining = len(our_webhooks(trello, url))
    except ConnectorError as exc:
        raise fail(str(exc), exit_for(exc)) from exc
    _print_report(report)
    out.print(f"{remaining} webhook(s) of ours remain")
