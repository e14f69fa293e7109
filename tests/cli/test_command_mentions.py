"""Every `boardsheet COMMAND` that a message, help text or doc names is a command the CLI really has.

A newcomer's trial: the 404 for an unknown held plan said "as `boardsheet plans` lists", and there is no
`plans` command. The check reads the commands from the CLI's own table (app.cli.lazy), so a renamed or
removed command cannot leave its old name behind in app/, the README or docs/.
"""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from typer.main import get_command

from app.cli.lazy import load
from app.cli.main import BoardsheetGroup, app

ROOT = Path(__file__).resolve().parents[2]
TEXT_SUFFIXES = {".py", ".html", ".js", ".gs", ".md", ".txt", ".yaml", ".yml"}
# `boardsheet sync`, `.venv/bin/boardsheet status`: a command quoted as code.
QUOTED = re.compile(r"`(?:[^`\s]*/)?boardsheet ([a-z][a-z0-9-]*)(?: ([a-z][a-z0-9-]*))?")
# A shell line in a fenced block: `boardsheet emulate ...` or `$ boardsheet check-config`.
SHELL_LINE = re.compile(r"^\s*(?:\$ )?(?:\S*/)?boardsheet ([a-z][a-z0-9-]*)(?: ([a-z][a-z0-9-]*))?")


def sources() -> list[Path]:
    """The texts a user may read: app/'s sources and templates, the README and docs/."""
    found = [p for p in sorted((ROOT / "app").rglob("*")) if p.suffix in TEXT_SUFFIXES and p.is_file()]
    return [*found, ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def mentions(path: Path) -> list[tuple[int, str, str | None]]:
    """(line number, command, next word) of each `boardsheet WORD` the file names."""
    found: list[tuple[int, str, str | None]] = []
    fenced = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        hits = list(QUOTED.finditer(line))
        if fenced and path.suffix == ".md" and (shell := SHELL_LINE.match(line)):
            hits.append(shell)
        found += [(number, hit.group(1), hit.group(2)) for hit in hits]
    return found


def commands() -> dict[str, click.Command]:
    """Every top-level command by name, as `boardsheet --help` lists them (groups loaded, for theirs)."""
    group = get_command(app)
    assert isinstance(group, BoardsheetGroup)
    names = group.list_commands(click.Context(group))
    return {
        name: load(name, BoardsheetGroup.lazy[name]) if name in BoardsheetGroup.lazy else group.commands[name]
        for name in names
    }


def test_the_commands_are_read_from_the_cli_itself() -> None:
    known = commands()
    assert {"sync", "status", "approve", "webhooks"} <= set(known) and "plans" not in known


@pytest.mark.parametrize("path", sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_boardsheet_command_named_exists(path: Path) -> None:
    known = commands()
    wrong = []
    for number, name, after in mentions(path):
        command = known.get(name)
        if command is None:
            wrong.append(f"{path.relative_to(ROOT)}:{number}: `boardsheet {name}` is no command")
        elif isinstance(command, click.Group) and after is not None and after not in command.commands:
            wrong.append(f"{path.relative_to(ROOT)}:{number}: `boardsheet {name} {after}` is no command")
    assert not wrong, "\n".join(wrong)


def test_a_wrong_name_is_found(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text("Run `boardsheet plans`.\n```sh\n$ boardsheet statuses\nboardsheet sync\n```\n")
    assert mentions(doc) == [(1, "plans", None), (3, "statuses", None), (4, "sync", None)]
