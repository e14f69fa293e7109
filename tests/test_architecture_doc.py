"""docs/architecture.md follows the tree: every module of app/ and connectors/ is named in its package's part.

The emulators' own modules are described in docs/emulators.md; migrations are Alembic's.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.paths import ROOT

DOC = ROOT / "docs" / "architecture.md"


def sections(text: str) -> dict[str, str]:
    """The doc's `## ` sections by heading."""
    parts = re.split(r"^## (.+)$", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def _modules() -> list[Path]:
    found = []
    for top in ("app", "connectors"):
        for path in sorted((ROOT / top).rglob("*.py")):
            parts = path.relative_to(ROOT).parts
            if path.name != "__init__.py" and "migrations" not in parts and "emulators" not in parts:
                found.append(path.relative_to(ROOT))
    return found


def where(module: Path, text: str) -> str:
    """The part of the doc that must name `module`: its package's section (top-level files: anywhere)."""
    parts = module.parts
    if len(parts) == 2 and parts[0] == "app":
        return text
    heading = f"`{parts[0]}/`" if parts[0] == "connectors" else f"`{parts[0]}/{parts[1]}/`"
    matching = [body for title, body in sections(text).items() if heading in title]
    assert matching, f"docs/architecture.md has no section for {heading}"
    return "\n".join(matching)


@pytest.mark.parametrize("module", _modules(), ids=str)
def test_every_module_is_on_the_map(module: Path) -> None:
    assert module.name in where(module, DOC.read_text(encoding="utf-8")), (
        f"docs/architecture.md does not name {module} in its package's section: say what it holds"
    )


def test_every_module_the_map_names_exists() -> None:
    text = DOC.read_text(encoding="utf-8")
    known = {p.name for p in _modules()} | {
        p.name for top in ("app", "connectors") for p in (ROOT / top).rglob("*.py")
    }
    named = set(re.findall(r"`([\w/]*\.py)`", text))
    # A path from the root (tests/support/memsheet.py) must exist as written; a bare name somewhere.
    gone = {n for n in named if not (ROOT / n).is_file() and n.rpartition("/")[2] not in known}
    assert not gone, f"docs/architecture.md names modules that do not exist: {gone}"


def test_a_module_named_only_elsewhere_is_missing() -> None:
    text = "## `app/core/` — pure\n`engine.py`\n## `app/runtime/` — shell\n`sync.py`\n"
    assert "sync.py" not in where(Path("app/core/sync.py"), text)
    assert "engine.py" in where(Path("app/core/engine.py"), text)
