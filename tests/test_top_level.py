"""The repository's top level holds what the README and docs/architecture.md name, nothing stray.

A profiler's output once landed at the top level in a commit (a 1 MB file named `sync`); tracked files
are listed with `git ls-files`, so what .gitignore keeps out (the venv, caches) does not count.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.support.paths import ROOT

pytestmark = pytest.mark.http  # runs git in a subprocess (tests/README.md)

EXPECTED = {
    # what the project's owners chose (README, "Layout")
    "pyproject.toml", "app", "connectors", "config", "tests", "Dockerfile", "README.md",
    # what running and developing it needs beside them
    "bench", "docs", "Makefile", "docker-compose.yml", "LICENSE", ".gitignore", ".ci",
}  # fmt: skip


def tracked_top_level() -> set[str]:
    """The first path component of every file git tracks."""
    listed = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60
    )
    return {line.split("/", 1)[0] for line in listed.stdout.splitlines() if line}


@pytest.mark.skipif(
    shutil.which("git") is None or not (ROOT / ".git").exists(),
    reason="not a git checkout (an unpacked sdist): nothing tracked to check",
)
def test_the_top_level_holds_only_the_expected_entries() -> None:
    stray = tracked_top_level() - EXPECTED
    assert not stray, f"unexpected at the repository's top level (move or remove): {sorted(stray)}"
