"""`make soak` in its short version, run as a user runs it: `python -m bench.soak --short` in a subprocess.

With BOARDSHEET_TEST_DATABASE_URL it soaks two replicas on PostgreSQL, else one on SQLite. The only time
check is the soak's own generous convergence bound; everything else is a count or a loss.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.support.paths import ROOT

pytestmark = pytest.mark.http  # emulators, replicas and PostgreSQL over loopback, in subprocesses

SOAK_TIMEOUT = 900.0  # only bounds a hang: the short soak takes about a minute
CHECKS = (
    "convergence (last edit → sheet = board)",
    "sheet equals the board's mapping",
    "no duplicate rows or cards",
    "every note and formula on its card's row",
    "every accepted sheet edit in Trello",
    "change log complete",
    "every idea one card, on its row",
)


def _rows(out: str) -> dict[str, list[str]]:
    """The table's rows by their first cell (continuation lines of a wrapped cell are left out)."""
    rows = {}
    for line in out.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("│").split("│")]
        if len(cells) == 3 and cells[0]:
            rows[cells[0]] = cells
    return rows


def test_the_short_soak_loses_nothing_through_a_kill_and_faults() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "BOARDSHEET_SOAK_DATABASE_URL")}
    done = subprocess.run(
        [sys.executable, "-m", "bench.soak", "--short"],
        cwd=ROOT,
        env=env | {"PYTHONIOENCODING": "utf-8", "COLUMNS": "200"},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=SOAK_TIMEOUT,
        check=False,
    )
    rows = _rows(done.stdout)
    assert done.returncode == 0, done.stdout + done.stderr
    assert [rows[name][2] for name in CHECKS] == ["ok"] * len(CHECKS), done.stdout
    assert rows["kill -9 mid-burst"][1] in ("the lease holder", "replica a (no holder caught)")
    team, two_way, _, ideas = rows["edits"][1].split(" (")[0].split(", ")
    # The burst did something worth checking: the team edited Trello, a stakeholder the two-way cells and
    # the committee the Ideas tab.
    counts = [
        int(team.removeprefix("team ")),
        int(two_way.removeprefix("two-way ")),
        int(ideas.removeprefix("ideas ")),
    ]
    assert min(counts) > 0, rows["edits"]
