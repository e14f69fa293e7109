"""`boardsheet sharing PAIR [--apply]`: the spreadsheet's sharing, wanted vs actual, and its events."""

from __future__ import annotations

import time
from typing import Annotated, Any

import typer
from rich.markup import escape

from app.cli.common import (
    EXIT_BAD_USAGE,
    EXIT_FAILED,
    ConfigOpt,
    JsonOpt,
    exit_for,
    fail,
    load,
    out,
    print_json,
)
from app.core.wording import counted
from app.errors import BoardsheetError, UnknownPairError
from app.runtime.edit_signals import build_drive
from app.runtime.sharing import SharingAuditor
from app.runtime.sharing_setup import service_account_emails
from app.runtime.wiring import INTERACTIVE_RETRY_SECONDS
from app.store.store import Store
from connectors.errors import ConnectorError

__all__ = ["sharing"]


def sharing(
    pair: Annotated[str, typer.Argument(help="a pair on the spreadsheet to look at")],
    apply: Annotated[
        bool, typer.Option("--apply", help="audit now: grant what the roles grant, hold or apply removals")
    ] = False,
    as_json: JsonOpt = False,
    config: ConfigOpt = None,
) -> None:
    """The spreadsheet's Drive permissions: what the roles grant, what Drive lists, the events."""
    settings, loaded = load(config)
    try:
        loaded.pair(pair)
    except UnknownPairError as exc:
        raise fail(str(exc), EXIT_BAD_USAGE) from exc
    try:
        with Store(settings.database_url) as store:
            drive = build_drive(settings, retry_seconds=INTERACTIVE_RETRY_SECONDS, sharing=True)
            accounts = service_account_emails(settings, drive.identity)
            auditor = SharingAuditor(loaded, drive, store, service_accounts=accounts, clock=time.time)
            try:
                sheet = auditor.sheet(pair)
            except KeyError:
                message = f"sharing is off for pair {pair}'s spreadsheet: set `sheet.share` (true or roles)"
                raise fail(message, EXIT_BAD_USAGE) from None
            report = auditor.audit(sheet) if apply else None
            if apply and report is None:
                raise fail("another process is auditing this spreadsheet: try again", EXIT_FAILED)
            plan = auditor.preview(sheet)
            audit = store.sharing_audit(sheet.spreadsheet)
    except (BoardsheetError, ConnectorError) as exc:
        raise fail(str(exc), exit_for(exc)) from exc
    document: dict[str, Any] = {
        "spreadsheet": sheet.spreadsheet,
        "pairs": list(sheet.pairs),
        "mode": sheet.settings.sharing,
        "wanted": [{"type": p.kind, "address": p.address, "role": r} for p, r in sheet.wanted.items()],
        "to_grant": [{"type": g.grantee[0], "address": g.grantee[1], "role": g.role} for g in plan.grants],
        "not_granted": [r.describe() for r in plan.removals],
        "events": audit.events,
        "applied": None
        if report is None
        else {
            "granted": report.granted,
            "removed": report.removed,
            "held_plan": report.held_plan,
            "paused": report.paused,
        },
    }
    if as_json:
        print_json(document)
    else:
        _show(document)


def _show(d: dict[str, Any]) -> None:
    """The document in lines for people."""
    out.print(
        f"spreadsheet {escape(d['spreadsheet'])} ({escape(', '.join(d['pairs']))}), sharing: {d['mode']}"
    )
    for w in d["wanted"]:
        out.print(f"  wanted: {escape(w['type'])} {escape(w['address'])} as {w['role']}")
    for g in d["to_grant"]:
        out.print(f"  missing: {escape(g['type'])} {escape(g['address'])} as {g['role']}")
    for what in d["not_granted"]:
        out.print(f"  not granted by the roles: {escape(what)}")
    for event in d["events"]:
        out.print(f"  [bold]trust no one[/bold]: {escape(str(event['message']))} (since {event['since']})")
    applied = d["applied"]
    if applied is not None:
        held = f"; removals held as plan {applied['held_plan']}" if applied["held_plan"] else ""
        granted, removed = (
            counted(len(applied["granted"]), "grant"),
            counted(len(applied["removed"]), "removal"),
        )
        out.print(f"audited now: {granted}, {removed}{held}")
        if applied["paused"]:
            paused = ", ".join(applied["paused"])
            out.print(f"paused ({escape(paused)}): nothing shared or taken back; `boardsheet resume` first")
