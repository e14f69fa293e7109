"""`boardsheet demo`: both emulators, a seeded content calendar, the service, and busy teammates.

Everything runs in this process on 127.0.0.1, with its state in a temporary directory removed at exit.
The demo's YAML (demo.yaml, next to this module) ships with the package.
"""

from __future__ import annotations

import re
import secrets
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from app.cli.committee import Committee
from app.cli.common import EXIT_FAILED, err, out
from app.cli.sheet_user import share_as_writer
from app.cli.stakeholder import Stakeholder
from app.cli.teammates import Teammates
from app.config.models import Config, load_config
from app.config.roles import members
from app.config.settings import Settings
from app.config.sharing import editor_roles
from app.errors import BoardsheetError
from app.main import create_app
from connectors.emulators.common import ServerThread
from connectors.emulators.seeding import Seeded, SeedError, load_spec
from connectors.emulators.serve import Emulators, Options, StopSignals
from connectors.errors import ConnectorError

__all__ = [
    "DEMO_CONFIG",
    "DemoOptions",
    "demo",
    "demo_environment",
    "run_demo",
    "service_thread",
    "share_with_editors",
    "write_config",
    "write_env",
]

DEMO_CONFIG = Path(__file__).resolve().with_name("demo.yaml")
_ENV_REF = re.compile(r"\{\s*\$env:\s*(\w+)\s*\}")
START_TIMEOUT = 30.0
STOP_TIMEOUT = 40.0
INTAKE_TAB = "Ideas"  # the demo's intake tab (demo.yaml; the demo seed creates it)
# Drive coalesces a spreadsheet's changes for about 3 minutes; the demo shows a sheet edit noticed in seconds.
DEMO_PUSH_DELAY = 5.0
TRELLO_WEB = "https://trello.com/"  # where Trello's (and the emulator's) board and card `url`s point
SPREADSHEET_WEB = re.compile(r"https://docs\.google\.com/spreadsheets/d/([\w-]+)")

Say = Callable[[str], None]


@dataclass(frozen=True)
class DemoOptions:
    """What `boardsheet demo` was asked for."""

    teammates: bool = True
    interval: float = 4.0
    duration: float | None = None
    port: int = 0


def service_thread(port: int = 0) -> ServerThread:
    """A server for the service: lifespan on (coordinators, webhook registration), listening at once."""
    return ServerThread(port=port, lifespan=True, start_timeout=START_TIMEOUT, stop_timeout=STOP_TIMEOUT)


def write_config(directory: Path, seeded: Seeded, template: Path = DEMO_CONFIG) -> Path:
    """The demo YAML with the seeded board and spreadsheet filled in; returns its path."""
    values = {
        "BOARDSHEET_DEMO_BOARD": seeded.short_link,
        "BOARDSHEET_DEMO_SPREADSHEET": seeded.spreadsheet_id,
    }

    def fill(match: re.Match[str]) -> str:
        return f'"{values[match.group(1)]}"' if match.group(1) in values else match.group(0)

    if not template.is_file():
        raise BoardsheetError(f"{template} not found: run the demo from a source checkout (make demo)")
    path = directory / "boardsheet.yaml"
    path.write_text(_ENV_REF.sub(fill, template.read_text(encoding="utf-8")), encoding="utf-8")
    return path


def write_env(directory: Path, environment: dict[str, str]) -> Path:
    """A `.env` beside the demo's YAML with the demo's whole environment, so that every command run in
    that directory (`status`, `pause`, `approve`, but also `plan`, `sync`, `webhooks list`,
    `calendar-url`) reaches the running demo and its emulators. The values are the emulators' documented
    placeholders and a calendar secret made for this demo only."""
    path = directory / ".env"
    path.write_text("".join(f"{name}={value}\n" for name, value in environment.items()), encoding="utf-8")
    path.chmod(0o600)
    return path


def demo_environment(directory: Path, emulators: Emulators, public_url: str) -> dict[str, str]:
    """The variables pointing boardsheet at the emulators, with its SQLite store in `directory`."""
    return {
        "TRELLO_API_KEY": "emulator-key",
        "TRELLO_TOKEN": "token-ops",
        "TRELLO_APP_SECRET": "emulator-secret",
        "TRELLO_API_URL": emulators.trello_url,
        "GOOGLE_SHEETS_API_URL": emulators.sheets_url,
        "BOARDSHEET_PUBLIC_URL": public_url,
        "BOARDSHEET_CALENDAR_SECRET": secrets.token_urlsafe(32),
        "BOARDSHEET_CONFIG": str(directory / "boardsheet.yaml"),
        "BOARDSHEET_DATABASE_URL": f"sqlite:///{directory / 'boardsheet.db'}",
    }


def _start_service(directory: Path, emulators: Emulators, config: Config, port: int) -> ServerThread:
    """Build the service from the factory, write the directory's .env and start it on 127.0.0.1."""
    service = service_thread(port)
    try:
        environment = demo_environment(directory, emulators, service.url)
        app = create_app(Settings.model_validate(environment), config)
        services = app.state.services
        links = partial(emulator_link, emulators.trello_url, emulators.sheets_url)
        services.status = replace(services.status, web_links=links)
        write_env(directory, environment)
        # The emulator's webhook deliveries would log every POST; the service's own run lines say enough.
        service.start(app)
    except BaseException:
        service.stop()
        raise
    return service


def emulator_link(trello_url: str, sheets_url: str, url: str) -> str:
    """A board's or spreadsheet's real link as the emulator's page showing it: the status page's links
    open the demo's board and sheet, as the sheet view's card links do."""
    if url.startswith(TRELLO_WEB):
        return f"{trello_url}/{url.removeprefix(TRELLO_WEB)}"
    if found := SPREADSHEET_WEB.match(url):
        return f"{sheets_url}/view/{found.group(1)}"
    return url


def share_with_editors(sheets_url: str, spreadsheet_id: str, config: Config) -> list[str]:
    """Share the spreadsheet in Drive as a writer with every person of a role that edits something in the
    demo's YAML (the chief's Approved column, the committee's Ideas tab): a protected range lets its
    editors edit only when Drive lets them edit the file at all. Returns their addresses."""
    people = [p.address for p in members(config.roles, editor_roles(config.pairs)) if p.kind == "user"]
    for address in people:
        share_as_writer(sheets_url, spreadsheet_id, address)
    return people


def _urls(service: ServerThread, emulators: Emulators, seeded: Seeded) -> list[str]:
    """What to open, and where the APIs are."""
    return [
        f"Status page: {service.url}/",
        f"The sheet (as stakeholders see it; ideas in its {INTAKE_TAB} tab become cards): {seeded.sheet_url}",
        f"The board: {seeded.board_url}",
        f"Trello API: {emulators.trello_url}  Sheets API: {emulators.sheets_url}",
        f"Board: {seeded.board_id}  Spreadsheet: {seeded.spreadsheet_id}  Tab: {seeded.tab}",
    ]


def run_demo(options: DemoOptions, say: Say = print) -> None:
    """Run the whole demo until Ctrl-C, SIGTERM or `options.duration` seconds."""
    directory = Path(tempfile.mkdtemp(prefix="boardsheet-demo-"))
    try:
        with StopSignals() as stop, Emulators(options=Options(push_delay=DEMO_PUSH_DELAY)) as emulators:
            seeded = emulators.seed(load_spec("demo"))
            config = load_config(write_config(directory, seeded))
            share_with_editors(emulators.sheets_url, seeded.spreadsheet_id, config)
            service = _start_service(directory, emulators, config, options.port)
            try:
                _show(service, emulators, seeded, options, say)
                say(
                    f"Operate it from another terminal: cd {directory} && boardsheet status "
                    "(also pause PAIR, resume PAIR, approve PLAN_ID, plan, sync, calendar-url PAIR)"
                )
                _run_teammates(emulators, seeded, options, say, stop)
            finally:
                service.stop()
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    say("Demo stopped.")


def _show(
    service: ServerThread, emulators: Emulators, seeded: Seeded, options: DemoOptions, say: Say
) -> None:
    """Print the URLs and what happens next."""
    for line in _urls(service, emulators, seeded):
        say(line)
    who = (
        f"alice and bob edit a card every {options.interval:g} s, dana edits the sheet every"
        f" {options.interval * 3:g} s, cora adds an idea every {options.interval * 5:g} s"
        if options.teammates
        else "no teammates"
    )
    say(f"Demo running ({who}); Ctrl-C to stop.")


def _run_teammates(
    emulators: Emulators, seeded: Seeded, options: DemoOptions, say: Say, stop: StopSignals
) -> None:
    """Let the teammates work (if asked) until the demo is stopped."""
    teammates = Teammates(emulators.trello_url, seeded.board_id, interval=options.interval, say=say)
    # A stakeholder without a Trello account edits the two-way columns, less often than the teammates.
    stakeholder = Stakeholder(
        emulators.sheets_url, seeded.spreadsheet_id, seeded.tab, interval=options.interval * 3, say=say
    )
    # A member of the brainstorm committee types ideas into the Ideas tab: each becomes a card.
    committee = Committee(
        emulators.sheets_url, seeded.spreadsheet_id, INTAKE_TAB, interval=options.interval * 5, say=say
    )
    if options.teammates:
        teammates.start()
        stakeholder.start()
        committee.start()
    try:
        stop.wait(options.duration)
    finally:
        teammates.stop()
        stakeholder.stop()
        committee.stop()


def demo(
    no_teammates: Annotated[
        bool, typer.Option("--no-teammates", help="do not let simulated teammates edit cards")
    ] = False,
    interval: Annotated[
        float, typer.Option("--interval", min=0.1, help="seconds between two teammates' edits")
    ] = 4.0,
    duration: Annotated[
        float | None, typer.Option("--duration", min=0.0, help="stop by itself after this many seconds")
    ] = None,
    port: Annotated[int, typer.Option("--port", help="the service's port (0: any free port)")] = 0,
) -> None:
    """Start the emulators, seed a content calendar, run the service and watch the sheet follow the board."""

    def say(line: str) -> None:
        out.print(escape(line))
        out.file.flush()

    options = DemoOptions(teammates=not no_teammates, interval=interval, duration=duration, port=port)
    try:
        run_demo(options, say)
    except (BoardsheetError, ConnectorError, SeedError, OSError, RuntimeError) as exc:
        err.print(f"[red]error:[/red] demo failed: {escape(str(exc))}")
        raise typer.Exit(EXIT_FAILED) from exc
