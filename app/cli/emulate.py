"""`boardsheet emulate`: serve the Trello and Google Sheets (+ Drive) emulators on 127.0.0.1 until stopped.

Faults, the Sheets quota and Trello's rate limits are set here at start and changed while running under
/_emulator/ (PUT /_emulator/faults, PUT /_emulator/limits; docs/emulators.md).
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from connectors.emulators.common import LOST_ANSWERS, Faults
from connectors.emulators.seeding import Seeded, SeedError, load_spec
from connectors.emulators.serve import Emulators, Options, StopSignals
from connectors.errors import ConnectorError

EXIT_FAILED = 1
EXIT_BAD_USAGE = 2
TRELLO_CREDENTIALS = "key emulator-key, app secret emulator-secret, tokens token-ops, token-alice, token-bob"
SHEETS_CREDENTIALS = "Bearer user:EMAIL acts as that Google user; service-account tokens at POST /token"


def emulator_lines(emulators: Emulators) -> list[str]:
    """Where the emulators listen, which credentials they accept, and where to change faults and limits."""
    return [
        f"Trello emulator: {emulators.trello_url}  ({TRELLO_CREDENTIALS})",
        f"Sheets emulator: {emulators.sheets_url}  ({SHEETS_CREDENTIALS}; Drive v3 at /drive/v3)",
        "Faults and limits while running: PUT <emulator>/_emulator/faults, PUT <emulator>/_emulator/limits",
    ]


def seeded_lines(seeded: Seeded) -> list[str]:
    """The seeded board and spreadsheet: ids and the pages to open."""
    return [
        f"Board: {seeded.board_id} (short link {seeded.short_link}, {len(seeded.cards)} cards) "
        f"{seeded.board_url}",
        f"Spreadsheet: {seeded.spreadsheet_id} (tab {seeded.tab}) {seeded.sheet_url}",
    ]


def _lost_answer(value: str) -> str:
    if value not in LOST_ANSWERS:
        raise typer.BadParameter(f"one of: {', '.join(LOST_ANSWERS)}")
    return value


def emulate(
    trello_port: Annotated[
        int, typer.Option("--trello-port", help="Trello emulator port (0: any free)")
    ] = 8001,
    sheets_port: Annotated[
        int, typer.Option("--sheets-port", help="Sheets (and Drive) emulator port (0: any free)")
    ] = 8002,
    seed: Annotated[
        str | None, typer.Option("--seed", help='a seed YAML file, or "demo" for the bundled calendar')
    ] = None,
    error_rate: Annotated[
        float, typer.Option("--error-rate", min=0, max=1, help="share of requests answered 503")
    ] = 0.0,
    rate_limit_rate: Annotated[
        float, typer.Option("--rate-limit-rate", min=0, max=1, help="share of requests answered 429")
    ] = 0.0,
    latency: Annotated[float, typer.Option("--latency", min=0, help="seconds added to every request")] = 0.0,
    lost_answer_rate: Annotated[
        float,
        typer.Option("--lost-answer-rate", min=0, max=1, help="share of writes applied whose answer is lost"),
    ] = 0.0,
    lost_answer: Annotated[
        str,
        typer.Option(
            "--lost-answer", callback=_lost_answer, help='a lost answer: "503" or "drop" (no answer)'
        ),
    ] = "503",
    sheets_quota: Annotated[
        int,
        typer.Option("--sheets-quota", min=0, help="Sheets reads and writes per user and minute (0: off)"),
    ] = 60,
    # One short flag, not an on/off pair: longer names are cut with "…" in an 80-column help screen.
    no_trello_rate_limits: Annotated[
        bool,
        typer.Option("--no-trello-limits", help="turn off Trello's 100 per 10 s per token"),
    ] = False,
    push_delay: Annotated[
        float,
        typer.Option("--push-delay", min=0, help="seconds Drive coalesces a file's changes (Google: ~180)"),
    ] = 180.0,
    edit_hint_url: Annotated[
        str | None,
        typer.Option(
            "--edit-hint-url",
            help="where to post signed edit hints after users' edits: "
            "the service's /webhooks/sheets, with ?pair=PAIR",
        ),
    ] = None,
    edit_hint_secret: Annotated[
        str,
        typer.Option(
            "--edit-hint-secret",
            help="the HMAC-SHA256 key of the edit hints: the pair's key `boardsheet apps-script PAIR` prints",
        ),
    ] = "",
) -> None:
    """Serve both emulators on 127.0.0.1 until Ctrl-C or SIGTERM; optionally seed a board and a sheet."""
    out, err = Console(highlight=False, soft_wrap=True), Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        spec = load_spec(seed) if seed else None
        faults = Faults(error_rate=error_rate, rate_limit_rate=rate_limit_rate, latency=latency)
        faults.update({"lost_answer_rate": lost_answer_rate, "lost_answer": lost_answer})
        hints = {"edit_hint_url": edit_hint_url, "edit_hint_secret": edit_hint_secret}
        options = Options(sheets_quota or None, not no_trello_rate_limits, push_delay, **hints)
        emulators = Emulators(trello_port, sheets_port, faults, options).start()
    except SeedError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(EXIT_BAD_USAGE) from exc
    except OSError as exc:
        err.print(f"[red]error:[/red] cannot listen on 127.0.0.1: {escape(exc.strerror or str(exc))}")
        raise typer.Exit(EXIT_BAD_USAGE) from exc
    try:
        with StopSignals() as stop:
            for line in emulator_lines(emulators):
                out.print(escape(line))
            if spec is not None:
                for line in seeded_lines(emulators.seed(spec)):
                    out.print(escape(line))
            out.print("Serving until Ctrl-C.")
            out.file.flush()
            stop.wait()
    except ConnectorError as exc:
        err.print(f"[red]error:[/red] seeding failed: {escape(str(exc))}")
        raise typer.Exit(EXIT_FAILED) from exc
    finally:
        emulators.stop()
    out.print("Stopped.")
