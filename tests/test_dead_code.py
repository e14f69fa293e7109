"""No dead code in app/ and connectors/: every function, class, constant and method is named somewhere else.

A name is "used" when it appears anywhere in the code, the tests, the bench or the templates besides its
own definition (a test-only helper counts as used). Route handlers and other decorated functions are
reached through their decorator; framework hooks (called by Click or SQLAlchemy by name) are listed.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from tests.support.paths import ROOT

CHECKED = ("app", "connectors")
READERS = ("app", "connectors", "tests", "bench")
WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Methods only a framework calls, by name.
HOOKS = {
    "display_type_rich": "Click's rich help asks each argument for it (app/cli/help.py)",
    "process_bind_param": "SQLAlchemy's TypeDecorator hook (app/store/tables.py)",
    "process_result_value": "SQLAlchemy's TypeDecorator hook (app/store/tables.py)",
}
PLAIN_DECORATORS = {"property", "staticmethod", "classmethod"}


@cache
def _uses() -> Counter[str]:
    """How often each word appears in the code, tests, bench and templates."""
    counts: Counter[str] = Counter()
    for top in READERS:
        for path in (ROOT / top).rglob("*"):
            # This file's own example names do not count.
            if path.suffix in (".py", ".html") and path.is_file() and path != Path(__file__).resolve():
                counts.update(WORD.findall(path.read_text(encoding="utf-8")))
    return counts


def _sources() -> Iterator[Path]:
    for top in CHECKED:
        # Alembic finds migrations by file, not by name.
        yield from (p for p in sorted((ROOT / top).rglob("*.py")) if "migrations" not in p.parts)


def _plain(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Not reached through a decorator (a route, a validator, a fixture...)."""
    return all(ast.unparse(d) in PLAIN_DECORATORS for d in node.decorator_list)


def definitions(tree: ast.Module) -> Iterator[str]:
    """Top-level functions, classes and constants, and the public methods of top-level classes."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and _plain(node):
            yield node.name
        elif isinstance(node, ast.ClassDef):
            if not node.decorator_list or all(
                ast.unparse(d).startswith("dataclass") for d in node.decorator_list
            ):
                yield node.name
            for item in node.body:
                is_function = isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
                if is_function and _plain(item) and not item.name.startswith("_"):
                    yield item.name
        elif isinstance(node, ast.Assign):
            yield from (t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            yield node.target.id


def unused(text: str) -> list[str]:
    """The names `text` defines that nothing else names (`__all__` listings do not count as a use)."""
    uses = _uses()
    found = []
    for name in definitions(ast.parse(text)):
        if name.startswith("__") or name in HOOKS:
            continue
        listed = text.count(f'"{name}"')  # in the module's own __all__
        if uses[name] - listed <= 1:
            found.append(name)
    return found


def test_every_definition_is_used_somewhere() -> None:
    dead = {
        str(path.relative_to(ROOT)): names
        for path in _sources()
        if (names := unused(path.read_text(encoding="utf-8")))
    }
    assert not dead, f"defined but named nowhere else - delete it (or list a framework hook): {dead}"


def test_an_unused_helper_is_found() -> None:
    text = (
        '__all__ = ["nobody_calls_me_zq"]\n\n'
        "def nobody_calls_me_zq() -> None:\n    pass\n\n"
        "class HolderZq:\n    @property\n    def nobody_reads_me_zq(self) -> str:\n        return ''\n"
    )
    assert unused(text) == ["nobody_calls_me_zq", "HolderZq", "nobody_reads_me_zq"]
