"""The suite's own layout (tests/README.md): shared helpers live in tests/support, nowhere else.

`--import-mode=importlib` keeps test modules off sys.path, but the repository root is on it (for
`tests.support`), so `from tests.web.test_webhooks import Fake` still works: these checks refuse it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from tests.support.paths import ROOT

TESTS = ROOT / "tests"
SUPPORT = TESTS / "support"


def _modules() -> Iterator[tuple[Path, ast.Module]]:
    """Every Python file under tests/ (recorded fixtures hold none), parsed."""
    for path in sorted(TESTS.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), str(path))


def _imported(tree: ast.Module) -> Iterator[str]:
    """The absolute module names a file imports."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def _is_test_module(name: str) -> bool:
    return name.startswith("tests.") and name.rpartition(".")[2].startswith("test_")


def test_no_test_imports_another_test_module_or_the_bench() -> None:
    found = [
        f"{path.relative_to(ROOT)}: {name}"
        for path, tree in _modules()
        for name in _imported(tree)
        if _is_test_module(name)
        # The bench's own tests test it; no other test leans on the bench's code.
        or (name.partition(".")[0] == "bench" and not path.is_relative_to(TESTS / "bench"))
    ]
    assert not found, f"move what is shared into tests/support: {found}"


def test_the_one_fake_clock_is_tests_support_clock() -> None:
    clocks = [
        f"{path.relative_to(ROOT)}: {node.name}"
        for path, tree in _modules()
        if not path.is_relative_to(SUPPORT)
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef) and node.name.endswith("Clock")
    ]
    assert not clocks, f"use tests.support.clock.FakeClock: {clocks}"


def test_the_one_wait_until_is_tests_support_waiting() -> None:
    waits = [
        f"{path.relative_to(ROOT)}: {node.name}"
        for path, tree in _modules()
        if not path.is_relative_to(SUPPORT)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.lstrip("_") == "wait_until"
    ]
    assert not waits, f"use tests.support.waiting.wait_until: {waits}"


def test_the_checks_see_what_they_refuse() -> None:
    assert _is_test_module("tests.web.test_webhooks") and not _is_test_module("tests.support.world")
    tree = ast.parse("from tests.core.test_engine import plan_of\nimport bench.soak\n")
    assert list(_imported(tree)) == ["tests.core.test_engine", "bench.soak"]
