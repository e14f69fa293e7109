"""One soak, start to verdict: world, replicas, the burst with its kill and restart, convergence, checks."""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from app.config.models import Config, load_config
from app.store.store import store_for_reading
from bench.databases import database
from bench.soak import checks
from bench.soak.crash import Kill, kill_holder
from bench.soak.ideas import IdeaTyper, idea_problems, ideas_waiting, read_ideas
from bench.soak.people import Edits, people
from bench.soak.replicas import Replica
from bench.soak.settings import TEAM, SoakSettings
from bench.soak.world import PAIR, World, soak_world
from connectors.trello.client import TrelloConnector

FIRST_SYNC_TIMEOUT = 120.0
STEADY = 3.0  # seconds a converged state must last (one more read) to count
POLL = 0.5

Say = Callable[[str], None]


@dataclass(frozen=True)
class Line:
    """One line of the soak's table: what, the figure, and ok / LOSS / '' (a figure without a verdict)."""

    name: str
    measured: str
    verdict: str = ""


@dataclass
class Outcome:
    """Everything the table shows; `lost` when any check found a loss."""

    lines: list[Line] = field(default_factory=list)

    @property
    def lost(self) -> bool:
        """True when a check failed."""
        return any(line.verdict == "LOSS" for line in self.lines)

    def add(self, name: str, measured: str, verdict: str = "") -> None:
        """Append a line."""
        self.lines.append(Line(name, measured, verdict))

    def check(self, name: str, problems: list[str], fine: str) -> None:
        """A check's line: `fine` when no problem, else the problems."""
        self.add(name, checks.shown(problems) if problems else fine, "LOSS" if problems else "ok")


def _wait(check: Callable[[], bool], timeout: float, what: str) -> float:
    """Poll `check` until true; the seconds it took (RuntimeError after `timeout`)."""
    start = time.monotonic()
    while not check():
        if time.monotonic() - start > timeout:
            raise RuntimeError(f"{what} did not happen within {timeout:g} s")
        time.sleep(POLL)
    return time.monotonic() - start


def _converge(world: World, config: Config, last: float, bound: float) -> tuple[float | None, checks.Sides]:
    """Seconds from `last` (monotonic) until the sheet equals the board's mapping and every idea row has
    its card, as first read (the mapping still equal STEADY s later); None past `bound`."""
    start = time.monotonic()
    while True:
        sides = checks.read_sides(world)
        if not checks.mapping_problems(config, sides) and not ideas_waiting(read_ideas(world)):
            at = time.monotonic() - last
            time.sleep(STEADY)
            sides = checks.read_sides(world)
            if not checks.mapping_problems(config, sides):
                return at, sides
        if time.monotonic() - start > bound:
            return None, sides
        time.sleep(POLL)


def _copy_logs(directory: Path, logs: Path) -> None:
    logs.mkdir(parents=True, exist_ok=True)
    for log in directory.glob("replica-*.log"):
        shutil.copy(log, logs / log.name)


@contextmanager
def _replicas(world: World, url: str, directory: Path, two: bool) -> Iterator[list[Replica]]:
    names = ("a", "b") if two else ("a",)
    replicas = [Replica(n, world, url, directory / f"replica-{n}.log") for n in names]
    try:
        for replica in replicas:
            replica.start()
        yield replicas
    finally:
        for replica in replicas:
            replica.stop()


def run_soak(
    settings: SoakSettings, database_server: str | None, seed: int, say: Say, logs: Path | None = None
) -> Outcome:
    """Run one soak; `database_server`: a PostgreSQL URL for two replicas (None: one, on SQLite); the
    replicas' logs are copied into `logs` when given."""
    outcome = Outcome()
    with ExitStack() as stack:
        directory = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="boardsheet-soak-")))
        world = stack.enter_context(soak_world(directory, settings, seed))
        url = stack.enter_context(database(directory, database_server, "soak"))
        if logs is not None:
            stack.callback(_copy_logs, directory, logs)
        replicas = stack.enter_context(_replicas(world, url, directory, two=bool(database_server)))
        engine = sa.create_engine(url)
        stack.callback(engine.dispose)
        config = load_config(world.config)
        say(f"{len(replicas)} replica(s) up; waiting for the first sync")
        _wait(
            lambda: not checks.mapping_problems(config, checks.read_sides(world)),
            FIRST_SYNC_TIMEOUT,
            "the first sync",
        )
        store = "PostgreSQL, 2 replicas" if database_server else "SQLite, 1 replica"
        outcome.add("store", store)
        outcome.add(
            "board",
            f"{len(world.seeded.cards)} cards, {settings.team} teammates, 2 + 1 stakeholders,"
            " 1 committee member (Ideas)",
        )
        since = (datetime.now(UTC) - timedelta(seconds=1)).isoformat()
        edits = Edits()
        crowd = people(world, settings, edits, seed)
        crowd.start()  # first: each stakeholder's start shares the spreadsheet with them, before the faults
        world.faults(settings.error_rate, settings.rate_limit_rate)
        say(
            f"burst: {settings.burst:g} s under {settings.error_rate:.0%} 503"
            f" and {settings.rate_limit_rate:.0%} 429"
        )
        began = time.monotonic()
        time.sleep(settings.burst * settings.kill_at)
        kill = kill_holder(replicas, engine, settings.restart_after)
        say(f"killed the lease holder (caught holding it: {kill.caught}); restarted")
        time.sleep(max(0.0, settings.burst - (time.monotonic() - began)))
        crowd.stop()
        world.faults(0.0, 0.0)
        last = edits.last or time.monotonic()
        say("burst over, faults off; waiting for convergence")
        took, sides = _converge(world, config, last, settings.converge_within)
        _figures(outcome, settings, edits, kill, took)
        _checks(outcome, world, config, sides, edits, url, since, crowd.ideas)
    return outcome


def _after_kill(kill: Kill) -> str:
    """When a live replica held the lease, and when the killed one answered again, from the kill."""
    ran = f"{kill.takeover:.2f} s after the kill" if kill.takeover is not None else "not seen"
    back = f"{kill.restarted:.1f} s" if kill.restarted is not None else "not seen"
    return f"{ran} (the killed replica answered again after {back})"


def _figures(outcome: Outcome, settings: SoakSettings, edits: Edits, kill: Kill, took: float | None) -> None:
    done = edits.done
    outcome.add(
        "edits",
        f"team {done.get('team', 0)}, two-way {done.get('two-way', 0)}, notes {done.get('notes', 0)},"
        f" ideas {done.get('ideas', 0)}"
        f" (failed after retries: {edits.failed}; notes typed on a moved row: {edits.misplaced_by_typist})",
    )
    outcome.add(
        "faults during the burst",
        f"{settings.error_rate:.0%} 503, {settings.rate_limit_rate:.0%} 429, both APIs",
    )
    outcome.add("kill -9 mid-burst", "the lease holder" if kill.caught else "replica a (no holder caught)")
    outcome.add(
        "a live replica ran the pair",
        _after_kill(kill),
    )
    bound = f"≤ {settings.converge_within:g} s"
    if took is None:
        outcome.add("convergence (last edit → sheet = board)", f"not within {bound}", "LOSS")
    else:
        outcome.add("convergence (last edit → sheet = board)", f"{took:.1f} s ({bound})", "ok")


def _checks(
    outcome: Outcome,
    world: World,
    config: Config,
    sides: checks.Sides,
    edits: Edits,
    url: str,
    since: str,
    ideas: IdeaTyper,
) -> None:
    with TrelloConnector(checks.KEY, "token-ops", api_url=world.trello_url, retry_seconds=5) as trello:
        actions = trello.board_actions(world.seeded.board_id, "all", since)
    members = world.seeded.members
    team = {members[t] for t, _, _ in TEAM if t in members}
    ops = members.get("token-ops")
    team_actions = [a for a in actions if a.get("idMemberCreator") in team]
    ops_actions = [a for a in actions if a.get("idMemberCreator") == ops and a.get("type") == "updateCard"]
    ops_creates = [a for a in actions if a.get("idMemberCreator") == ops and a.get("type") == "createCard"]
    store = store_for_reading(url)
    try:
        changes = store.recent_changes(PAIR, limit=1_000_000)
    finally:
        store.close()
    outcome.check(
        "sheet equals the board's mapping",
        checks.mapping_problems(config, sides),
        f"{len(sides.tab.rows)} rows",
    )
    outcome.check(
        "no duplicate rows or cards",
        checks.duplicate_problems(sides, team_actions, len(world.seeded.cards) + len(ops_creates)),
        f"{len(sides.board.get('cards', []))} cards",
    )
    outcome.check(
        "every note and formula on its card's row",
        checks.note_problems(sides, edits),
        f"{len(edits.notes)} cards with notes",
    )
    accepted = sum(1 for c in changes if c.action_type == "sheet:edit")
    outcome.check(
        "every accepted sheet edit in Trello",
        checks.accepted_problems(changes, ops_actions, team_actions),
        f"{accepted} accepted, {len(ops_actions)} Trello writes",
    )
    outcome.check(
        "change log complete",
        checks.log_problems(changes, team_actions),
        f"{len(team_actions)} team actions logged",
    )
    outcome.check(
        "every idea one card, on its row",
        idea_problems(read_ideas(world), ideas.typed, ops_creates),
        f"{len(ideas.typed)} ideas, {len(ops_creates)} cards created",
    )
