"""`boardsheet plan [PAIR]` and `boardsheet sync [PAIR]`: one run by hand, with plain errors."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from app.cli.common import EXIT_BAD_USAGE, EXIT_FAILED, ConfigOpt, err, fail, load, out, print_problems
from app.cli.plan_table import plan_table
from app.config.policy import policy_of
from app.errors import BoardsheetError, ConfigError, StoreError, UnknownPairError
from app.runtime.sync import Stage, Syncer
from app.runtime.wiring import build_syncer
from connectors.errors import AuthError, ConnectorError, TabNotFound

T = TypeVar("T")

PairArg = Annotated[str | None, typer.Argument(help="the pair to run (default: every pair)")]
CreateTabOpt = Annotated[bool, typer.Option("--create-tab", help="add the tab when the spreadsheet lacks it")]


def _syncer(config_path: Path | None) -> Syncer:
    """A Syncer built from the environment and the YAML; exits 2 on bad settings or config."""
    settings, config = load(config_path)
    try:
        return build_syncer(settings, config)
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


def explain(exc: Exception, pair: str) -> str:
    """What went wrong and what to check, in plain words (never a credential)."""
    if isinstance(exc, AuthError) and exc.service == "trello":
        return "Trello refused the credentials: check TRELLO_API_KEY and TRELLO_TOKEN (and board access)"
    if isinstance(exc, AuthError):
        return (
            "Google Sheets refused the credentials: check GOOGLE_APPLICATION_CREDENTIALS and that the "
            "spreadsheet is shared with the service account's e-mail"
        )
    if isinstance(exc, TabNotFound):
        return f"{exc.message}; run `boardsheet sync {pair} --create-tab` to add it"
    return str(exc)


@contextmanager
def _progress(label: str) -> Iterator[Stage]:
    """A transient spinner showing what the run is doing (shown only on a terminal)."""
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), transient=True, console=err
    ) as progress:
        task = progress.add_task(label)
        yield lambda stage: progress.update(task, description=f"{label}: {stage}")


def _staged(call: Callable[..., T]) -> Callable[[Stage], T]:
    """`call` taking the progress Stage as its `stage` keyword."""
    return lambda stage: call(stage=stage)


def _attempt(pair: str, call: Callable[[Stage], T]) -> T | None:
    """Run `call` for one pair; print a plain error and return None when it fails."""
    try:
        with _progress(pair) as stage:
            return call(stage)
    except ConfigError as exc:
        print_problems(exc.problems)
        raise typer.Exit(EXIT_BAD_USAGE) from exc
    except (BoardsheetError, ConnectorError) as exc:
        reason = escape(explain(exc, pair))
        err.print(f"[red]{escape(pair)}: refused or failed:[/red] {reason}")
        return None


def sync(
    pair: PairArg = None,
    config: ConfigOpt = None,
    allow_mass_delete: Annotated[
        bool, typer.Option("--allow-mass-delete", help="apply a plan even if it deletes many rows")
    ] = False,
    create_tab: CreateTabOpt = False,
) -> None:
    """Make each pair's sheet tab equal to its board, once; one line per pair."""
    syncer = _syncer(config)
    failed = False
    for name in _pairs(syncer, pair):
        run = partial(syncer.run, name, allow_mass_delete=allow_mass_delete, create_tab=create_tab)
        result = _attempt(name, _staged(run))
        if result is None:
            failed = True
            continue
        colour = {"ok": "green", "noop": "green", "held": "yellow"}.get(result.outcome, "red")
        out.print(f"[{colour}]{escape(name)}[/{colour}]: {escape(result.message)}")
        failed = failed or result.outcome == "held"
    if failed:
        raise typer.Exit(EXIT_FAILED)


def plan(pair: PairArg = None, config: ConfigOpt = None) -> None:
    """Show what a sync would change (rows added and removed, cells before → after); writes nothing."""
    syncer = _syncer(config)
    failed = False
    for name in _pairs(syncer, pair):
        # Planned as if approved, so a plan that a sync would hold can still be read in full.
        look = partial(syncer.preview, name, allow_mass_delete=True)
        preview = _attempt(name, _staged(look))
        if preview is None:
            failed = True
            continue
        out.print(plan_table(preview))
        limit = policy_of(syncer.config.pair(name)).delete_limit(preview.row_count)
        if len(preview.plan.deletes) > limit:
            out.print(
                f"[yellow]{escape(name)}: deletes {len(preview.plan.deletes)} rows, more than max_deletes "
                f"({limit}): a sync will hold this plan until it is approved[/yellow]"
            )
    if failed:
        raise typer.Exit(EXIT_FAILED)
