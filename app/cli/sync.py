"""`boardsheet plan [PAIR]` and `boardsheet sync [PAIR]`: one run by hand, with plain errors."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.markup import escape

from app.cli.common import (
    EXIT_BAD_USAGE,
    EXIT_FAILED,
    ConfigOpt,
    JsonOpt,
    command,
    err,
    exit_for,
    fail,
    load,
    out,
    print_json,
    print_problems,
)
from app.config.policy import policy_of
from app.core.wording import counted
from app.errors import BoardsheetError, ConfigError, GuardError, StoreError, UnknownPairError
from app.runtime.sync import Stage, Syncer
from app.runtime.syncer_wiring import INTERACTIVE_RETRY_SECONDS, build_syncer
from app.store.store import Store, store_for_reading
from connectors.errors import AuthError, ConnectorError, TabNotFound

T = TypeVar("T")

PairArg = Annotated[str | None, typer.Argument(help="the pair to run (default: every pair)")]
CreateTabOpt = Annotated[bool, typer.Option("--create-tab", help="add the tab when the spreadsheet lacks it")]


@dataclass
class Exits:
    """The exit code of a command over several pairs: the most serious outcome wins."""

    code: int = 0

    def note(self, code: int) -> None:
        """Keep `code` if it is more serious (2 bad usage or config > 1 failed or held > 0)."""
        self.code = max(self.code, code)

    def finish(self) -> None:
        """Exit with the code, unless everything went well."""
        if self.code:
            raise typer.Exit(self.code)


def _syncer(config_path: Path | None, *, read_only: bool = False) -> Syncer:
    """A Syncer built from the environment and the YAML; exits 2 on bad settings or config.

    `read_only` (plan): the state store is only read, and a SQLite file that does not exist is not made.
    """
    settings, config = load(config_path)
    try:
        store: Store = (store_for_reading if read_only else Store)(settings.database_url)
        return build_syncer(
            settings, config, store=store, retry_seconds=INTERACTIVE_RETRY_SECONDS, attribute=not read_only
        )
    except StoreError as exc:  # the database is down: the run failed, the usage was fine
        raise fail(str(exc), EXIT_FAILED) from exc
    except (BoardsheetError, ConnectorError) as exc:
        raise fail(str(exc), EXIT_BAD_USAGE) from exc


def _pairs(syncer: Syncer, pair: str | None) -> list[str]:
    """The pairs to run; exits 2 naming the configured pairs (and the nearest) when it is unknown."""
    if pair is None:
        return [p.name for p in syncer.config.pairs]
    try:
        return [syncer.config.pair(pair).name]
    except UnknownPairError as exc:
        raise fail(str(exc), EXIT_BAD_USAGE) from exc


def explain(exc: Exception, pair: str, config: Path | None = None) -> str:
    """What went wrong and what to check, in plain words (never a credential)."""
    if isinstance(exc, AuthError) and exc.service == "trello":
        return "Trello refused the credentials: check TRELLO_API_KEY and TRELLO_TOKEN (and board access)"
    if isinstance(exc, AuthError):
        return (
            "Google Sheets refused the credentials: check GOOGLE_APPLICATION_CREDENTIALS and that the "
            "spreadsheet is shared with the service account's e-mail"
        )
    if isinstance(exc, TabNotFound) and "; add the tab" in exc.message:
        # The generic way out, as a command to paste (with -c FILE); a named near miss is kept as is.
        hint = command("sync", pair, config=config, options=["--create-tab"])
        head = exc.message.split("; add the tab", 1)[0]
        return f"{head}; run `{hint}` to add it"
    return str(exc)


@contextmanager
def _progress(label: str) -> Iterator[Stage]:
    """A transient spinner showing what the run is doing (shown only on a terminal)."""
    if not err.is_terminal:  # piped or logged: no spinner, not even its blank line (nor rich.progress)
        yield lambda stage: None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn  # a terminal's alone

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        transient=True,
        console=err,
    ) as progress:
        task = progress.add_task(label)
        yield lambda stage: progress.update(task, description=f"{label}: {stage}")


def _attempt(pair: str, call: Callable[..., T], exits: Exits, config: Path | None) -> T | dict[str, str]:
    """Run `call(stage=...)` for one pair; on failure print what happened and return {"outcome", "error"}."""
    try:
        with _progress(pair) as stage:
            return call(stage=stage)
    except ConfigError as exc:
        print_problems(exc.problems)
        exits.note(EXIT_BAD_USAGE)
        return {"outcome": "refused", "error": str(exc)}
    except (BoardsheetError, ConnectorError) as exc:
        outcome = "refused" if isinstance(exc, GuardError) else "failed"
        reason = explain(exc, pair, config)
        err.print(f"[red]{escape(pair)}: {outcome}:[/red] {escape(reason)}")
        exits.note(exit_for(exc))
        return {"outcome": outcome, "error": reason}


def _pause_words(syncer: Syncer, pair: str, config: Path | None, outcome: str) -> str | None:
    """ "paused by … (why): `outcome`; `resume` to sync it again", None when the pair is not paused."""
    flags = syncer.store.flags(pair)
    if not flags.paused:
        return None
    why = f" ({flags.reason})" if flags.reason else ""
    hint = command("resume", pair, config=config)
    return f"paused by {flags.paused_by or 'someone'}{why}: {outcome}; `{hint}` to sync it again"


def _paused(syncer: Syncer, pair: str, config: Path | None) -> dict[str, Any] | None:
    """The kill switch holds for the command line too: a paused pair is not synced (None: it is not)."""
    message = _pause_words(syncer, pair, config, "not synced")
    if message is None:
        return None
    err.print(f"[yellow]{escape(pair)}: {escape(message)}[/yellow]")
    return {"pair": pair, "outcome": "paused", "message": message}


def _held_hint(syncer: Syncer, pair: str, config: Path | None) -> str:
    """How to let a held plan through, repeating the user's options."""
    waiting = [plan for plan in syncer.store.held_plans(pair) if plan.approved_at is None]
    approve = command("approve", str(waiting[0].id), config=config) if waiting else None
    forced = command("sync", pair, config=config, options=["--allow-mass-delete"])
    return f"approve it with `{approve}` (or run `{forced}`)" if approve else f"run `{forced}`"


def sync(
    pair: PairArg = None,
    config: ConfigOpt = None,
    allow_mass_delete: Annotated[
        bool, typer.Option("--allow-mass-delete", help="apply a plan even if it deletes many rows")
    ] = False,
    create_tab: CreateTabOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Make each pair's sheet tab equal to its board, once; one line per pair."""
    syncer = _syncer(config)
    exits, results = Exits(), []
    for name in _pairs(syncer, pair):
        paused = _paused(syncer, name, config)
        if paused is not None:
            exits.note(EXIT_FAILED)
            results.append(paused)
            continue
        run = partial(syncer.run, name, allow_mass_delete=allow_mass_delete, create_tab=create_tab)
        result = _attempt(name, run, exits, config)
        if isinstance(result, dict):
            results.append({"pair": name, **result})
            continue
        record = {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in asdict(result).items()}
        results.append(record)
        colour = {"ok": "green", "noop": "green", "held": "yellow"}.get(result.outcome, "red")
        if not as_json:
            out.print(f"[{colour}]{escape(name)}[/{colour}]: {escape(result.message)}")
        if result.outcome == "held":
            exits.note(EXIT_FAILED)
            if not as_json:
                out.print(f"[yellow]{escape(name)}: {escape(_held_hint(syncer, name, config))}[/yellow]")
    if as_json:
        print_json(results)
    exits.finish()


def plan(
    pair: PairArg = None,
    config: ConfigOpt = None,
    ids: Annotated[bool, typer.Option("--ids", help="show each card's id next to its title")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Show what a sync would change (rows added and removed, cells before → after); writes nothing."""
    from app.cli.plan_table import (  # plan's alone
        left_out_words,
        plan_document,
        plan_lines,
        plan_table,
        protection_words,
    )

    syncer = _syncer(config, read_only=True)
    exits, documents = Exits(), []
    piped = not out.is_terminal
    for name in _pairs(syncer, pair):
        # Planned as if approved, so a plan that a sync would hold can still be read in full.
        look = partial(syncer.preview, name, allow_mass_delete=True)
        preview = _attempt(name, look, exits, config)
        if isinstance(preview, dict):
            documents.append({"pair": name, **preview})
            continue
        limit = policy_of(syncer.config.pair(name)).delete_limit(preview.row_count)
        holds = len(preview.plan.deletes) > limit
        # A paused pair still gets its plan (what resuming would do), said to be one no sync runs now.
        paused = _pause_words(syncer, name, config, "a sync would not run this plan")
        documents.append(plan_document(preview, limit, holds, paused))
        if as_json:
            continue
        guarded = protection_words(preview)
        if not plan_lines(preview) and not guarded:
            logged = counted(len(preview.change_ids), "change-log row")
            pending = f"; {logged} to append" if preview.change_ids else ""
            rows = counted(preview.row_count, "row")
            out.print(f"{escape(name)}: nothing to change, the tab is in sync ({rows}){pending}")
        elif plan_lines(preview):
            out.print(plan_table(preview, ids=ids, limit=None if piped else 200))
        if guarded:
            out.print(f"{escape(name)}: {guarded}")
        left = left_out_words(preview)
        if left:
            out.print(f"{escape(name)}: cards left out: {escape(left)}")
        if preview.ideas is not None and preview.ideas.plan_line():
            out.print(f"{escape(name)}: {escape(preview.ideas.plan_line())}")
        if paused is not None:
            out.print(f"[yellow]{escape(name)}: {escape(paused)}[/yellow]")
        if holds:
            out.print(
                f"[yellow]{escape(name)}: deletes {counted(len(preview.plan.deletes), 'row')}, more than "
                f"max_deletes "
                f"({limit}): a sync will hold this plan until it is approved[/yellow]"
            )
    if as_json:
        print_json(documents)
    exits.finish()
