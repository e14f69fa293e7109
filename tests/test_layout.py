"""The suite's own layout (tests/README.md): shared helpers live in tests/support, nowhere else.

`--import-mode=importlib` keeps test modules off sys.path, but the repository root is on it (for
`tests.support`), so `from tests.web.test_webhooks import Fake` still works: these checks refuse it.
Lines are matched, not parsed: the whole suite is read in well under a second.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.paths import ROOT

TESTS = ROOT / "tests"
SUPPORT = TESTS / "support"
IMPORT = re.compile(r"^\s*(?:from|import)\s+([\w.]+)", re.MULTILINE)
CLOCK = re.compile(r"^\s*class\s+(\w*Clock)\b", re.MULTILINE)
WAIT_UNTIL = re.compile(r"^\s*(?:async\s+)?def\s+(_*wait_until)\b", re.MULTILINE)

Sources = tuple[tuple[Path, str], ...]


@pytest.fixture(scope="module")
def sources() -> Sources:
    """Every Python file under tests/ (recorded fixtures hold none), with its text."""
    return tuple((path, path.read_text(encoding="utf-8")) for path in sorted(TESTS.rglob("*.py")))


def refused_import(name: str, path: Path) -> bool:
    """A test module imported (tests.x.test_y), or the bench by a test that does not test it."""
    test_module = name.startswith("tests.") and name.rpartition(".")[2].startswith("test_")
    bench = name.partition(".")[0] == "bench" and not path.is_relative_to(TESTS / "bench")
    return test_module or bench


def test_no_test_imports_another_test_module_or_the_bench(sources: Sources) -> None:
    found = [
        f"{path.relative_to(ROOT)}: {name}"
        for path, text in sources
        for name in IMPORT.findall(text)
        if refused_import(name, path)
    ]
    assert not found, f"move what is shared into tests/support: {found}"


def _outside_support(sources: Sources, pattern: re.Pattern[str]) -> list[str]:
    return [
        f"{path.relative_to(ROOT)}: {name}"
        for path, text in sources
        if not path.is_relative_to(SUPPORT)
        for name in pattern.findall(text)
    ]


def test_the_one_fake_clock_is_tests_support_clock(sources: Sources) -> None:
    clocks = _outside_support(sources, CLOCK)
    assert not clocks, f"use tests.support.clock.FakeClock: {clocks}"


def test_the_one_wait_until_is_tests_support_waiting(sources: Sources) -> None:
    waits = _outside_support(sources, WAIT_UNTIL)
    assert not waits, f"use tests.support.waiting.wait_until: {waits}"


def test_the_checks_see_what_they_refuse() -> None:
    text = "from tests.core.test_engine import plan_of\nimport bench.soak\nfrom tests.support import world\n"
    here = TESTS / "core" / "test_x.py"
    refused = [n for n in IMPORT.findall(text) if refused_import(n, here)]
    assert refused == ["tests.core.test_engine", "bench.soak"]
    assert not refused_import("bench.soak", TESTS / "bench" / "test_soak.py")
    assert CLOCK.findall("class MyClock:\n    pass\n") == ["MyClock"]
    assert WAIT_UNTIL.findall("def _wait_until(check):\n    pass\n") == ["_wait_until"]
