"""The runtime dependencies are exactly what the code needs: a plain `pip install` gives every import.

Tests run in a venv with the dev extras, where a module a user's install lacks imports fine; this reads the
imports from the source instead, and checks each against what `boardsheet`'s own requirements install.
"""

from __future__ import annotations

import ast
import sys
import tomllib
from collections import defaultdict
from functools import cache
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("app", "connectors")
DISTRIBUTION = "boardsheet"

# Declared runtime dependencies nothing imports by name, each needed all the same.
INDIRECT = {
    "python-multipart": "Starlette parses form bodies with it: the Trello emulator's request.form()",
    "psycopg": "SQLAlchemy loads it by name for postgresql+psycopg:// URLs (app/store/db.py)",
}


def _type_checking_only(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Whether `node` sits under `if TYPE_CHECKING:` (never imported at run time)."""
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return True
    return False


@cache
def third_party_imports() -> dict[str, set[str]]:
    """Every absolute import of app/ and connectors/ outside the standard library and the project: files."""
    found: dict[str, set[str]] = defaultdict(set)
    for source in SOURCES:
        for path in sorted((ROOT / source).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
            parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                if _type_checking_only(node, parents):
                    continue
                for name in names:
                    top = name.partition(".")[0]
                    if top not in sys.stdlib_module_names and top not in SOURCES:
                        found[name].add(str(path.relative_to(ROOT)))
    return dict(found)


def _requirements(dist: str, extras: frozenset[str]) -> list[Requirement]:
    """`dist`'s requirements that apply here with `extras` requested (none: the plain install)."""
    applying = []
    for text in metadata.requires(dist) or []:
        req = Requirement(text)
        if req.marker is None or any(req.marker.evaluate({"extra": e}) for e in extras | {""}):
            applying.append(req)
    return applying


@cache
def runtime_closure() -> frozenset[str]:
    """Canonical names of every distribution a plain `pip install boardsheet` installs, boardsheet too."""
    expanded: dict[str, frozenset[str]] = {}
    todo = [(DISTRIBUTION, frozenset[str]())]
    while todo:
        dist, extras = todo.pop()
        name = canonicalize_name(dist)
        if name in expanded and extras <= expanded[name]:
            continue
        expanded[name] = expanded.get(name, frozenset()) | extras
        for req in _requirements(dist, expanded[name]):
            todo.append((req.name, frozenset(req.extras)))
    return frozenset(expanded)


@cache
def _top_level() -> dict[str, list[str]]:
    return metadata.packages_distributions()


@cache
def _files(dist: str) -> tuple[str, ...]:
    return tuple(str(f) for f in metadata.distribution(dist).files or ())


def providers(module: str) -> set[str]:
    """Canonical names of the installed distributions that provide `module`."""
    parts = module.split(".")
    candidates = _top_level().get(parts[0], [])
    if len(candidates) > 1:
        # A namespace package several distributions share (google): which one holds this module?
        for depth in range(len(parts), 1, -1):
            prefix = "/".join(parts[:depth])
            holders = [
                d
                for d in candidates
                if any(f == f"{prefix}.py" or f.startswith(f"{prefix}/") for f in _files(d))
            ]
            if holders:
                return {canonicalize_name(d) for d in holders}
    return {canonicalize_name(d) for d in candidates}


def declared() -> dict[str, Requirement]:
    """The runtime requirements pyproject.toml declares, by canonical name."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {canonicalize_name(r.name): r for r in map(Requirement, project["dependencies"])}


def test_the_installed_metadata_is_the_pyproject_one() -> None:
    installed = {canonicalize_name(r.name): r for r in _requirements(DISTRIBUTION, frozenset())}
    assert {n: str(r) for n, r in installed.items()} == {n: str(r) for n, r in declared().items()}, (
        "the dev venv's boardsheet metadata is stale: run `make install`"
    )


def test_the_walk_finds_the_imports_it_must() -> None:
    found = third_party_imports()
    assert "fastapi" in found and "google.oauth2" in found and "requests" in found
    assert not [m for m in found if m.partition(".")[0] in ("app", "connectors", "os", "json")]


def test_every_third_party_import_comes_with_a_plain_install() -> None:
    closure = runtime_closure()
    missing = {
        module: (sorted(files), sorted(providers(module)) or "nothing installed")
        for module, files in third_party_imports().items()
        if not providers(module) & closure
    }
    assert not missing, (
        "imported by the code but not installed by `pip install boardsheet` (no extras) - add the "
        f"distribution to [project].dependencies, or import something that is: {missing}"
    )


def test_every_runtime_dependency_is_imported_or_explained() -> None:
    imported = set().union(*(providers(m) for m in third_party_imports()))
    unused = sorted(set(declared()) - imported - set(INDIRECT))
    assert not unused, (
        f"declared runtime dependencies nothing imports - drop them, or explain in INDIRECT: {unused}"
    )


def test_the_indirect_needs_are_declared_and_really_indirect() -> None:
    imported = set().union(*(providers(m) for m in third_party_imports()))
    for name in INDIRECT:
        assert name in declared(), f"{name} is explained in INDIRECT but not declared"
        assert name not in imported, f"{name} is imported directly: take it out of INDIRECT"
