"""Commands imported when they run, not when the command line starts: `--help` and `sync` stay quick.

Each command module pulls in what it needs (SQLAlchemy, the API clients, FastAPI for `serve`); importing
every one of them cost every command about 1.6 s before it did anything (issue 13). The group lists
the commands from a table of names, with summaries read from the modules' source (ast, no import), and
imports a module only to run one of its commands or show its own help.
"""

from __future__ import annotations

import ast
import gc
import importlib
import importlib.util
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

import typer
from typer.core import TyperCommand
from typer.main import get_command

from app.cli.help import PlainCommand, PlainGroup, plain_typer
from app.core.gc_pause import collector_paused

__all__ = ["LazyCommand", "LazyGroup"]


@dataclass(frozen=True)
class LazyCommand:
    """A command by name: the module and attribute holding it (a function, or a Typer sub-app)."""

    module: str
    attribute: str

    @property
    def summary(self) -> str:
        """The first paragraph of its help, as the loaded command would show it."""
        return _summaries(self.module).get(self.attribute, "")


class LazyGroup(PlainGroup):
    """A PlainGroup whose `lazy` commands are imported on first use, listed from their summaries."""

    lazy: ClassVar[dict[str, LazyCommand]] = {}

    def list_commands(self, ctx: Any) -> list[str]:
        """The eager commands, then the lazy ones, in table order."""
        return [*super().list_commands(ctx), *(n for n in self.lazy if n not in self.commands)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """The command; an unloaded lazy one is a stand-in carrying its summary (for listings)."""
        if cmd_name in self.commands or cmd_name not in self.lazy:
            return super().get_command(ctx, cmd_name)
        summary = self.lazy[cmd_name].summary
        return TyperCommand(cmd_name, help=summary, short_help=summary)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        """Import the named command before Click runs it (or shows its help, or completes it)."""
        if args and args[0] in self.lazy and args[0] not in self.commands:
            spec = self.lazy[args[0]]
            fresh = spec.module not in sys.modules
            # Hundreds of modules, thousands of long-lived objects and no garbage: the collector's passes
            # during the import are pure cost (about a tenth of a sync's start-up, issue 13).
            with collector_paused():
                self.add_command(load(args[0], spec), args[0])
                if fresh:
                    # Modules, classes and functions live as long as the process: out of the collector's
                    # reach, its passes after the import walk only what the command allocates, not these
                    # ~90,000 objects (measured: 80 ms of a sync's start-up CPU, issue 13). Python's gc docs
                    # pair gc.disable() early with gc.freeze() for the same reason before a fork.
                    gc.freeze()
        return super().resolve_command(ctx, args)


def load(name: str, spec: LazyCommand) -> Any:
    """Import `spec` and build its Click command under `name`, the way Typer builds eager ones."""
    target: Any = getattr(importlib.import_module(spec.module), spec.attribute)
    if isinstance(target, typer.Typer):
        group = get_command(target)
        group.name = name
        return group
    single = plain_typer(add_completion=False)  # completion is the top-level group's option
    single.command(name, cls=PlainCommand)(target)
    return get_command(single)


@cache
def _summaries(module: str) -> dict[str, str]:
    """First docstring paragraphs of a module's functions, and `help=` of its Typer sub-apps, by name."""
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        return {}
    found: dict[str, str] = {}
    for node in ast.parse(Path(spec.origin).read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef):
            found[node.name] = _first_paragraph(ast.get_docstring(node))
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            helps = [k.value for k in node.value.keywords if k.arg == "help"]
            if helps and isinstance(helps[0], ast.Constant) and isinstance(helps[0].value, str):
                found |= {t.id: helps[0].value for t in node.targets if isinstance(t, ast.Name)}
    return found


def _first_paragraph(docstring: str | None) -> str:
    """The text up to the first blank line, on one line."""
    return " ".join((docstring or "").split("\n\n")[0].split())
