"""`boardsheet restore PAIR --at TIME`: put a pair's tab back as a snapshot had it (never calls Trello)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer
from rich.markup import escape

from app.cli.common import (
    EXIT_BAD_USAGE,
    ConfigOpt,
    JsonOpt,
    ask,
    err,
    exit_for,
    fail,
    load,
    out,
    print_json,
)
from app.core.when import parse_when
from app.core.wording import counted
from app.errors import BoardsheetError, UnknownPairError
from app.runtime.restore import Restore, Restorer
from app.runtime.syncer_wiring import INTERACTIVE_RETRY_SECONDS, build_accounts, build_sheets
from app.store.store import Store
from connectors.errors import ConnectorError

__all__ = ["restore"]

SHOWN_EDITS = 40  # cells listed before "... and N more"
AFTER = "the next run reconciles the owned columns with the board as usual"


def restore(
    pair: Annotated[str, typer.Argument(help="the pair whose tab to restore")],
    at: Annotated[
        str,
        typer.Option(
            "--at",
            metavar="TIME",
            help="ISO datetime, 'N minutes|hours|days ago' or 'today|yesterday [HH:MM]' (pair's time zone)",
        ),
    ],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="write without asking")] = False,
    as_json: JsonOpt = False,
    config: ConfigOpt = None,
) -> None:
    """Write a pair's tab back to its newest snapshot at or before TIME, in one batchUpdate."""
    settings, loaded = load(config)
    try:
        spec = loaded.pair(pair)
        when = parse_when(at, datetime.now(UTC), ZoneInfo(spec.timezone))
    except (UnknownPairError, ValueError) as exc:
        raise fail(str(exc), EXIT_BAD_USAGE) from exc
    try:
        with Store(settings.database_url) as store:
            # The pair's own service account when BOARDSHEET_GOOGLE_ACCOUNTS assigns it one.
            accounts = build_accounts(settings, loaded, retry_seconds=INTERACTIVE_RETRY_SECONDS)
            sheets = accounts.get(spec.name) or build_sheets(
                settings, retry_seconds=INTERACTIVE_RETRY_SECONDS
            )
            restorer = Restorer(loaded, sheets, store)
            result, written = restorer.restore(spec.name, when, lambda r: _confirm(r, yes, as_json))
    except (BoardsheetError, ConnectorError) as exc:
        raise fail(str(exc), exit_for(exc)) from exc
    if as_json:
        print_json({**_document(result), "written": written})
        return
    if not result.plan.requests:
        out.print(f"{escape(result.pair)}: the tab already equals its snapshot of {result.taken_text()}")
    elif written:
        out.print(f"{escape(result.pair)}: restored {counted(len(result.plan.edits), 'cell')}; {AFTER}")
    else:
        out.print(f"{escape(result.pair)}: nothing written")


def _confirm(result: Restore, yes: bool, as_json: bool) -> bool:
    """Show the plan (unless --json) and ask, unless --yes."""
    if not as_json:
        _show(result)
    if yes:
        return True
    return ask("Write this to the sheet?")


def _show(result: Restore) -> None:
    """The plan, readably: the snapshot's time, row counts, then each cell that changes."""
    plan = result.plan
    out.print(
        f"{escape(result.pair)}: tab {escape(result.tab)!r} back to its snapshot of "
        f"{result.taken_text()}: {counted(plan.rows_now, 'row')} now, {plan.rows_back} then, "
        f"header included; {counted(len(plan.edits), 'cell')} change; Trello is not touched, {AFTER}"
    )
    for edit in plan.edits[:SHOWN_EDITS]:
        where = f"row {edit.row + 1}, {result.header(edit.column)}"
        now, back = edit.now_text(), edit.back_text()
        out.print(f"  {escape(where)}: {escape(repr(now))} -> {escape(repr(back))}")
    if len(plan.edits) > SHOWN_EDITS:
        err.print(f"  ... and {len(plan.edits) - SHOWN_EDITS} more")


def _document(result: Restore) -> dict[str, Any]:
    """The restore as JSON: pair, tab, snapshot time, and every changed cell (1-based row)."""
    edits = [
        {
            "row": e.row + 1,
            "column": result.header(e.column),
            "now": e.now_text(),
            "back": e.back_text(),
        }
        for e in result.plan.edits
    ]
    return {
        "pair": result.pair,
        "tab": result.tab,
        "snapshot_at": result.taken_at.isoformat(),
        "cells": edits,
    }
