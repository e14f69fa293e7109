"""`boardsheet pause|resume PAIR`, `approve PLAN_ID` and `status`: the operator's actions at a prompt.

They work on the state store directly, with the rules the service follows (the same shared pause flag
and approvals, which every replica reads), so no API token is needed on the box. A pause takes effect
on the service within its pause poll (10 s); an approval asks the service's coordinator for a run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from app.cli.common import (
    EXIT_BAD_USAGE,
    EXIT_FAILED,
    ConfigOpt,
    JsonOpt,
    actor,
    command,
    fail,
    load,
    out,
    print_json,
)
from app.config.models import Config
from app.config.settings import Settings
from app.core.wording import counted
from app.errors import StoreError, UnknownPairError, UnknownPlanError
from app.runtime.admin import AdminActions
from app.runtime.status_reader import StatusReader
from app.store.store import Store, store_for_reading

__all__ = ["approve", "pause", "resume", "status"]

ReasonOpt = Annotated[str | None, typer.Option("--reason", "-r", help="why (shown on the status page)")]


def _open(config_path: Path | None, *, read_only: bool = False) -> tuple[Settings, Config, Store]:
    """The settings, configuration and state store; exits 2 on bad config, 1 when the store is down.

    `read_only` (status): a SQLite file that does not exist is not made, nor migrated in memory.
    """
    settings, config = load(config_path)
    try:
        return settings, config, (store_for_reading if read_only else Store)(settings.database_url)
    except StoreError as exc:
        raise fail(str(exc), EXIT_FAILED) from exc


def _actions(config_path: Path | None) -> AdminActions:
    _, config, store = _open(config_path)
    return AdminActions(store, [pair.name for pair in config.pairs])


def pause(
    pair: Annotated[str | None, typer.Argument(help="the pair to pause")] = None,
    every: Annotated[bool, typer.Option("--all", help="pause every pair: the kill switch")] = False,
    reason: ReasonOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Stop syncing a pair (or --all) on every replica until it is resumed."""
    if (pair is None) == (not every):
        raise fail("name one PAIR, or give --all to pause every pair", EXIT_BAD_USAGE)
    admin, who = _actions(config), actor()
    try:
        paused = admin.pause_all(who, reason) if every else [_set(admin, pair or "", True, who, reason)]
    except StoreError as exc:
        raise fail(str(exc), EXIT_FAILED) from exc
    for name in paused:
        undo = command("resume", "--all" if every else name, config=config)
        out.print(f"{escape(name)}: paused by {escape(who)}; `{escape(undo)}`")


def resume(
    pair: Annotated[str | None, typer.Argument(help="the pair to run again")] = None,
    every: Annotated[bool, typer.Option("--all", help="resume every pair (after pause --all)")] = False,
    config: ConfigOpt = None,
) -> None:
    """Sync a paused pair (or --all) again, on every replica (what was asked meanwhile runs next)."""
    if (pair is None) == (not every):
        raise fail("name one PAIR, or give --all to resume every pair", EXIT_BAD_USAGE)
    admin, who = _actions(config), actor()
    try:
        resumed = admin.resume_all(who) if every else [_set(admin, pair or "", False, who, None)]
    except StoreError as exc:
        raise fail(str(exc), EXIT_FAILED) from exc
    for name in resumed:
        out.print(f"{escape(name)}: resumed by {escape(who)}")


def _set(admin: AdminActions, pair: str, paused: bool, who: str, reason: str | None) -> str:
    try:
        admin.set_paused(pair, paused, who, reason)
    except UnknownPairError as exc:
        raise fail(str(exc), EXIT_BAD_USAGE) from exc
    return pair


def approve(
    plan_id: Annotated[int, typer.Argument(help="the held plan's id (boardsheet status shows it)")],
    config: ConfigOpt = None,
) -> None:
    """Approve a held plan (a mass delete); a running service applies it within seconds."""
    admin = _actions(config)
    try:
        approval = admin.approve(plan_id, actor())
    except UnknownPlanError as exc:
        raise fail(
            f"{exc}; `{command('status', config=config)}` lists the held plans", EXIT_BAD_USAGE
        ) from exc
    except StoreError as exc:
        raise fail(str(exc), EXIT_FAILED) from exc
    plan = approval.plan
    which = f"plan {plan.id} of pair {escape(plan.pair)}"
    by = escape(str(plan.approved_by))
    if approval.already_approved:
        out.print(f"{which} was already approved by {by}; nothing to do")
        return
    if plan.plan.get("kind") == "sharing":
        removals = counted(len(plan.plan.get("removals", [])), "sharing removal")
        out.print(f"{which} approved by {by}: {removals} to apply at the service's next audit (within 30 s)")
        return
    rows = len(plan.plan.get("deletes", []))
    now = escape(command("sync", plan.pair, config=config))
    out.print(
        f"{which} approved by {by}: a running service deletes its {rows} row(s) within seconds "
        f"(no service running: `{now}`)"
    )


def status(config: ConfigOpt = None, as_json: JsonOpt = False) -> None:
    """Every pair's state, held plans and recent changes, from the state store (`--json`: /status)."""
    settings, cfg, store = _open(config, read_only=True)
    hint = f" -c {config}" if config is not None else ""
    # The mode follows the environment the service shares (BOARDSHEET_PUBLIC_URL): the CLI must not call
    # a service with webhooks "polling only". What only the running service knows (its webhook
    # registration, the next reconcile) stays empty here.
    reader = StatusReader(
        cfg, store, config_hint=hint, public_url=settings.public_url,
        admin_enabled=settings.admin_token is not None,
    )  # fmt: skip
    try:
        document = reader.status()
    except StoreError as exc:
        raise fail(str(exc), EXIT_FAILED) from exc
    if as_json:
        print_json(document)
        return
    out.print(_pairs_table(document))
    for pair in document["pairs"]:
        followed = pair["spreadsheet"].get("tab_followed")
        if followed:  # a renamed tab: said here as on the status page and in the log
            out.print(f"[bold]tab renamed[/bold] ({escape(pair['name'])}): {escape(followed)}")
        for plan in pair["held_plans"]:
            out.print(_held_table(plan))
    for sheet in document.get("sharing", []):
        for event in sheet["events"]:
            out.print(f"[bold]trust no one[/bold] ({escape(sheet['pair'])}): {escape(str(event['message']))}")
        if sheet["held_plan"]:
            held = sheet["held_plan"]
            removals = escape("; ".join(held["removals"]))
            out.print(
                f"held plan {held['id']} (sharing of {escape(sheet['pair'])}): {removals} — {held['approve']}"
            )
    out.print(_changes_table(document))


def _pairs_table(document: dict[str, Any]) -> Table:
    table = Table(title=f"boardsheet {document['version']}: pairs", title_justify="left")
    for column in (
        "pair",
        "state",
        "board",
        "sheet / tab",
        "rows",
        "sheet edits",
        "sheet updated",
        "last run",
    ):
        table.add_column(column)
    for p in document["pairs"]:
        last = p["last_run"]
        run = f"{last['outcome']} {last['finished_at']}: {last['message']}" if last else "none yet"
        table.add_row(
            escape(p["name"]),
            escape(p["summary"]),
            escape(p["board"]["name"] or p["board"]["id"]),
            escape(f"{p['spreadsheet']['title'] or p['spreadsheet']['id']} / {_tab(p)}"),
            "—" if p["rows"] is None else str(p["rows"]),
            escape(p["sheet_edits"]["mode"].replace("_", " ")),
            escape(p["last_success_ago"] or "never"),
            escape(run),
        )
    return table


def _tab(pair: dict[str, Any]) -> str:
    """The tab the pair syncs: its current title, with the YAML's name when a rename is followed."""
    title = pair["spreadsheet"].get("tab_title") or pair["tab"]
    return title if title == pair["tab"] else f"{title} (YAML: {pair['tab']})"


def _held_table(plan: dict[str, Any]) -> Table:
    table = Table(
        title=f"held plan {plan['id']} of {plan['pair']}: {plan['reason']}",
        caption=f"approve: {plan['approve']}",
        title_justify="left",
        caption_justify="left",
    )
    for column in ("card", "list", "why", "its other cells"):
        table.add_column(column)
    for row in plan["rows"]:
        free = " · ".join(f"{k}: {v}" for k, v in row.get("free", {}).items())
        table.add_row(escape(row.get("title") or row.get("key", "")), escape(row.get("list", "")),
                      escape(row.get("reason", "")), escape(free))  # fmt: skip
    return table


def _changes_table(document: dict[str, Any]) -> Table:
    table = Table(title="recent changes (newest first)", title_justify="left")
    for column in ("when", "who", "pair", "card", "field", "before", "after"):
        table.add_column(column)
    for c in document["changes"]:
        cells = (c["when"], c["who"], c["pair"], c["card"], c["field"], c["before"] or "", c["after"] or "")
        table.add_row(*(escape(str(cell)) for cell in cells))
    if not document["changes"]:
        table.caption = "no change recorded yet"
    return table
