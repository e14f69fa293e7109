"""A line-aware YAML reader: plain data plus where every key and value sits in the file.

PyYAML's composed node tree keeps a mark (line, column) on every node; we keep those marks in a
`SourceMap` keyed by the data path, so any later problem (a pydantic error `loc`, a name the board lacks)
can point at the exact line. `$env: NAME` values are resolved here, from an injected environment.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

Path_ = tuple[str | int, ...]

# A key named like a credential is refused wherever it appears: secrets come from the environment.
_SECRET_WORDS = frozenset(
    {"key", "apikey", "token", "secret", "password", "passwd", "credential", "credentials"}
)


@dataclass(frozen=True)
class Problem:
    """One configuration problem: where it is, what is wrong, and how to fix it."""

    file: str
    line: int | None
    column: int | None
    path: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}:{self.column or 1}"
        text = f"{where} {self.path or '(top)'}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


def format_path(path: Path_) -> str:
    """Render a data path the way a user reads it: pairs[0].columns[2].field."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


@dataclass
class SourceMap:
    """Where each path's key and value sit in a file (1-based lines and columns)."""

    file: str
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: Path_, *, key: bool = False) -> tuple[int | None, int | None]:
        """The position of `path` (its key when asked and known), else of its nearest known parent."""
        probe = tuple(path)
        while True:
            if key and probe in self.keys:
                return self.keys[probe]
            if probe in self.values:
                return self.values[probe]
            if not probe:
                return None, None
            probe = probe[:-1]

    def problem(self, path: Path_, message: str, hint: str = "", *, key: bool = False) -> Problem:
        """A Problem located at `path`."""
        line, column = self.locate(path, key=key)
        return Problem(self.file, line, column, format_path(path), message, hint)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def is_secret_key(name: str) -> bool:
    """True for a key named like a credential (api_key, token, app-secret, password...)."""
    parts = [p for p in re.split(r"[_\-\s.]+", name.lower()) if p]
    return bool(parts) and (parts[-1] in _SECRET_WORDS or name.lower() in _SECRET_WORDS)


class _Reader:
    """Turns a composed node tree into plain data, recording marks and problems."""

    def __init__(self, source: SourceMap, env: Mapping[str, str]) -> None:
        self.source = source
        self.env = env
        self.problems: list[Problem] = []
        self._scalars = yaml.SafeLoader("")  # only its constructor is used, for typed scalars

    def value(self, node: yaml.Node, path: Path_) -> Any:
        self.source.values[path] = _mark(node)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.value(item, (*path, i)) for i, item in enumerate(node.value)]
        return self._scalars.construct_object(node, deep=True)

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> Any:
        keys = [k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode)]
        if "$env" in keys:
            return self._env_ref(node, path)
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            name = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
            child = (*path, name)
            if name in out:
                self.problems.append(
                    self.source.problem(path, f"key '{name}' appears twice", "keep one of them")
                )
            self.source.keys[child] = _mark(key_node)
            if is_secret_key(name):
                self.problems.append(self._secret_problem(child, name))
                self.source.values[child] = _mark(value_node)
                continue
            out[name] = self.value(value_node, child)
        return out

    def _secret_problem(self, path: Path_, name: str) -> Problem:
        line, column = self.source.keys[path]
        return Problem(
            self.source.file,
            line,
            column,
            format_path(path),
            f"'{name}' looks like a secret, and secrets never live in the configuration file",
            "remove it and set TRELLO_API_KEY, TRELLO_TOKEN, TRELLO_APP_SECRET or "
            "GOOGLE_APPLICATION_CREDENTIALS in the environment instead",
        )

    def _env_ref(self, node: yaml.MappingNode, path: Path_) -> Any:
        """Resolve `{$env: NAME}` (optionally with `default:`) from the environment."""
        ref = {str(k.value): v for k, v in node.value if isinstance(k, yaml.ScalarNode)}
        name_node = ref.get("$env")
        extra = sorted(set(ref) - {"$env", "default"})
        if extra or not isinstance(name_node, yaml.ScalarNode) or not str(name_node.value):
            self.problems.append(
                self.source.problem(
                    path,
                    "an environment reference takes the form {$env: NAME} (optionally with default:)",
                    f"remove {', '.join(extra)}" if extra else "name the variable: {$env: MY_VARIABLE}",
                )
            )
            return None
        name = str(name_node.value)
        if name in self.env:
            return self.env[name]
        if "default" in ref:
            return self.value(ref["default"], path)
        self.problems.append(
            self.source.problem(
                path,
                f"environment variable {name} is not set",
                f"export {name}=... before running, or add `default:` to the reference",
            )
        )
        return None


def read_yaml(text: str, file: str, env: Mapping[str, str]) -> tuple[Any, SourceMap, list[Problem]]:
    """Parse YAML text into plain data, its SourceMap and the problems found while reading."""
    source = SourceMap(file)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        message = f"this is not valid YAML: {exc.problem or exc.context}"
        return None, source, [Problem(file, line, column, "", message, "check indentation and quoting")]
    except yaml.YAMLError as exc:
        return None, source, [Problem(file, None, None, "", f"this is not valid YAML: {exc}")]
    if node is None:
        return None, source, []
    reader = _Reader(source, env)
    data = reader.value(node, ())
    return data, source, reader.problems


def in_file_order(problems: list[Problem]) -> list[Problem]:
    """Problems sorted by line, then column, duplicates removed."""
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda p: (p.line or 0, p.column or 0))
