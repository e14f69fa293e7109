"""Translate pydantic validation errors into located, hinted `Problem`s."""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from app.config.fields import did_you_mean
from app.config.several import SEVERAL
from app.config.source import Path_, Problem, SourceMap

_FRIENDLY = {
    "too_short": "needs at least one entry",
    "list_type": "should be a list, e.g. [Drafting, Review]",
    "dict_type": "should be a mapping of keys to values",
    "model_type": "should be a mapping of keys to values",
    "model_attributes_type": "should be a mapping of keys to values",
    "string_type": "should be text",
}


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    """The model class inside an annotation such as list[Column] | None, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is None and not isinstance(annotation, types.UnionType):
        return None
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def model_at(root: type[BaseModel], path: Path_) -> type[BaseModel] | None:
    """The model class validating the mapping at `path` (list indexes skipped)."""
    current: type[BaseModel] | None = root
    for part in path:
        if isinstance(part, int):
            continue
        if current is None or part not in current.model_fields:
            return None
        current = _inner_model(current.model_fields[part].annotation)
    return current


def _problem(error: ErrorDetails, source: SourceMap, root: type[BaseModel]) -> Problem:
    ctx = error.get("ctx") or {}
    path: Path_ = tuple(error["loc"]) + tuple(ctx.get("at", ()))
    kind = error["type"]
    if kind == "extra_forbidden":
        name = str(path[-1])
        model = model_at(root, path[:-1])
        allowed = list(model.model_fields) if model else []
        hint = did_you_mean(name, allowed) or (f"allowed keys: {', '.join(allowed)}" if allowed else "")
        return source.problem(path, f"unknown key '{name}'", hint, key=True)
    if kind == "missing":
        name = str(path[-1])
        model = model_at(root, path[:-1])
        field = model.model_fields.get(name) if model else None
        hint = f"add `{name}:` — {field.description}" if field and field.description else f"add `{name}:`"
        return source.problem(path, f"missing key '{name}'", hint)
    message = str(error["msg"]).removeprefix("Value error, ")
    message, _, hint = message.partition(" — ")
    if kind in _FRIENDLY:
        message = f"{_FRIENDLY[kind]} (got {_shown(error.get('input'))})"
    elif kind == "literal_error":
        message = f"{message}, not {_shown(error.get('input'))}"
    return source.problem(path, message, hint)


def _shown(value: Any) -> str:
    """A short description of a received value."""
    if value is None:
        return "nothing"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def problems_from_validation(exc: ValidationError, source: SourceMap, root: type[BaseModel]) -> list[Problem]:
    """Every error of `exc` as a Problem located in the file."""
    errors = [one for error in exc.errors() for one in _expanded(error)]
    problems = [_problem(error, source, root) for error in errors]
    # "unknown key 'colums' — did you mean 'columns'?" already says what "missing key 'columns'" would.
    suggested = {(p.path.rsplit(".", 1)[0], p.hint) for p in problems if p.message.startswith("unknown key")}
    return [
        p
        for p, e in zip(problems, errors, strict=True)
        if not (e["type"] == "missing" and (p.path.rsplit(".", 1)[0], _suggest(p.path)) in suggested)
    ]


def _expanded(error: ErrorDetails) -> list[ErrorDetails]:
    """A "several" error's own errors (each at the validator's place), or the error itself."""
    if error["type"] != SEVERAL:
        return [error]
    return [
        ErrorDetails(type=one.type, loc=error["loc"], msg=one.message(), input=None, ctx=one.context or {})
        for one in (error.get("ctx") or {})["errors"]
    ]


def _suggest(path: str) -> str:
    """The did-you-mean hint an unknown key would carry when it meant the last key of `path`."""
    return f"did you mean '{path.rsplit('.', 1)[-1]}'?"
