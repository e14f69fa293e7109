"""Help screens as users of command-line tools expect them: `PATH`, `TEXT`, `INTEGER`, and flags bare.

Typer's rich help shows every parameter's Python type in angle brackets (`<path>`, `<str>`, and `<bool>`
even for flags, which take no value), and a required argument in braces on the usage line (`{PAIR}`).
These command classes give each parameter the metavar Click itself would (its type's name in capitals; an
argument's name in capitals), flags none, and usage lines as Click writes them.
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

__all__ = ["PlainCommand", "PlainGroup"]

# Python type names as Click names them in help (click.types: STRING is shown as TEXT).
_TYPE_NAMES = {"str": "TEXT", "int": "INTEGER", "float": "FLOAT", "path": "PATH", "bool": "BOOLEAN"}


class _PlainArgument(TyperArgument):
    """An argument whose type column shows Click's type name (TEXT), not `<str>`."""

    def display_type_rich(self, ctx: Any) -> str | None:
        return _type_name(self, ctx)

    def _usage_display_name(self) -> str:
        """`PLAN_ID` on the usage line, as Click shows a required argument (Typer 0.29 shows `{PLAN_ID}`)."""
        name = self.metavar or (self.name or "").upper()
        name = name if self.required else f"[{name}]"
        return name if self.nargs == 1 else f"{name}..."


def _type_name(param: TyperArgument | TyperOption, ctx: Any) -> str:
    """`<path>` -> PATH, `<str>` -> TEXT, choices and the rest in capitals."""
    bare = param.display_type(ctx).strip("<>")
    return _TYPE_NAMES.get(bare.lower(), bare.upper())


def _plain(params: list[Any], ctx: Any) -> list[Any]:
    """Set the metavar Click would show on every parameter that has none."""
    for param in params:
        if isinstance(param, TyperArgument):
            if param.metavar is None:
                param.metavar = (param.name or "").upper()
            # Typer builds its own parameter objects: this one only changes how the type is displayed.
            param.__class__ = _PlainArgument
        elif isinstance(param, TyperOption) and param.metavar is None:
            param.metavar = "" if param.is_flag or param.count else _type_name(param, ctx)
    return params


class PlainCommand(TyperCommand):
    """A Typer command whose help shows Click's metavars."""

    def get_params(self, ctx: Any) -> list[Any]:
        """The command's parameters, help option included, with plain metavars."""
        return _plain(list(super().get_params(ctx)), ctx)


class PlainGroup(TyperGroup):
    """A Typer group whose help shows Click's metavars (its commands default to PlainCommand)."""

    command_class = PlainCommand

    def get_params(self, ctx: Any) -> list[Any]:
        """The group's parameters, help option included, with plain metavars."""
        return _plain(list(super().get_params(ctx)), ctx)


def plain_typer(**options: Any) -> typer.Typer:
    """A Typer app (or sub-app) whose help screens render the plain way."""
    return typer.Typer(cls=PlainGroup, **options)
