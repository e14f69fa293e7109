"""`boardsheet undo-archive PAIR --by MEMBER --since TIME`: unarchive what one member archived."""

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
    exit_for,
    fail,
    load,
    out,
    print_json,
)
from app.core.when import parse_when
from app.core.wording import counted
from app.errors import BoardsheetError, UnknownPairError
from app.runtime.undo import UndoArchive, UndoPlan
from app.runtime.wiring import INTERACTIVE_RETRY_SECONDS, build_trello
from app.store.store import Store
from connectors.errors import ConnectorError

__all__ = ["undo_archive"]

GONE = "deleted: Trello keeps no deleted card, it cannot come back"


def undo_archive(
    pair: Annotated[str, typer.Argument(help="the pair whose board to look at")],
    by: Annotated[str, typer.Option("--by", metavar="MEMBER", help="username, full name or member id")],
    since: Annotated[
        str, typer.Option("--since", metavar="TIME", help="as restore --at: ISO, '2h ago', 'yesterday 10:00'")
    ],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="unarchive without asking")] = False,
    as_json: JsonOpt = False,
    config: ConfigOpt = None,
) -> None:
    """Unarchive the cards MEMBER archived since TIME; list the ones they deleted (with their last row)."""
    settings, loaded = load(config)
    try:
        spec = loaded.pair(pair)
        when = parse_when(since, datetime.now(UTC), ZoneInfo(spec.timezone))
    except (UnknownPairError, ValueError) as exc:
        raise fail(str(exc), EXIT_BAD_USAGE) from exc
    asked: list[UndoPlan] = []

    def confirm(found: UndoPlan) -> bool:
        asked.append(found)
        return _confirm(found, yes, as_json, spec.timezone)

    try:
        with Store(settings.database_url) as store:
            trello = build_trello(settings, retry_seconds=INTERACTIVE_RETRY_SECONDS)
            plan, done = UndoArchive(loaded, trello, store).undo(spec.name, by, when, confirm)
    except (BoardsheetError, ConnectorError) as exc:
        raise fail(str(exc), exit_for(exc)) from exc
    if as_json:
        print_json({**_document(plan), "unarchived": done})
        return
    if not asked:  # nothing to ask about: what was found is still worth showing
        _show(plan, spec.timezone)
    if not plan.undo.archived and not plan.undo.deleted:
        since_text = _local(when.isoformat(), spec.timezone)  # as the lines above show times
        out.print(f"{escape(plan.pair)}: {escape(by)} archived or deleted no card since {escape(since_text)}")
        return
    skipped = f"; {counted(len(plan.not_archived), 'card')} not archived now, left as they are"
    skipped = skipped if plan.not_archived else ""
    if not done:
        out.print(f"{escape(plan.pair)}: nothing unarchived{skipped}")
    else:
        out.print(
            f"{escape(plan.pair)}: unarchived {counted(len(done), 'card')}{skipped}; "
            "the next run puts their rows back"
        )


def _confirm(plan: UndoPlan, yes: bool, as_json: bool, timezone: str) -> bool:
    """Show what was found (unless --json) and ask, unless --yes."""
    if not as_json:
        _show(plan, timezone)
    return yes or ask("Unarchive these cards?")


def _show(plan: UndoPlan, timezone: str) -> None:
    """The archived cards to bring back, then the deleted ones with their last known row."""
    for card_id, name, when in plan.to_unarchive:
        out.print(f"  archived {escape(_local(when, timezone))}: {escape(name)} ({card_id})")
    for card_id, name, when in plan.not_archived:
        stamp = escape(_local(when, timezone))
        out.print(f"  archived {stamp}, not archived now (skipped): {escape(name)} ({card_id})")
    for card_id, _name, when in plan.undo.deleted:
        row = plan.last_rows.get(card_id)
        shown = ", ".join(f"{k}: {v}" for k, v in row.items()) if row else "no row known"
        out.print(f"  {GONE} ({escape(_local(when, timezone))}, {card_id}); last row: {escape(shown)}")


def _local(when: str, timezone: str) -> str:
    """An action's ISO date as "2026-12-01 10:42 (Europe/Paris)", as the status page shows times."""
    try:
        moment = datetime.fromisoformat(when.replace("Z", "+00:00"))
    except ValueError:
        return when  # not a date Trello would send: shown as given
    return f"{moment.astimezone(ZoneInfo(timezone)):%Y-%m-%d %H:%M} ({timezone})"


def _document(plan: UndoPlan) -> dict[str, Any]:
    """The findings as JSON."""
    return {
        "pair": plan.pair,
        "member": plan.member,
        "archived": [{"card": c, "name": n, "at": w} for c, n, w in plan.to_unarchive],
        "not_archived_now": [{"card": c, "name": n, "at": w} for c, n, w in plan.not_archived],
        "deleted": [
            {"card": c, "at": w, "last_row": plan.last_rows.get(c)} for c, _n, w in plan.undo.deleted
        ],
    }
