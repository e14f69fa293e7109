"""files.list's `q`: Drive's search query language, parsed into a predicate over a file's search view.

Grammar and terms from https://developers.google.com/drive/api/guides/ref-search-terms and
https://developers.google.com/drive/api/guides/search-files: `name`, `mimeType`, `createdTime`,
`modifiedTime` with = != (and < <= > >= for times), `name contains 'x'` (prefix matching on the name's
terms), `fullText contains`, `trashed`/`starred`/`sharedWithMe`, `'x' in parents|owners|writers|readers`,
joined by `and`, `or`, `not` and parentheses. Strings take single quotes (the documented form) or double
quotes (what gspread sends, recorded: ClientTest.test_openall). Anything else is Drive's 400 Invalid Value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from connectors.emulators.sheets.errors import drive_error

Json = dict[str, Any]
Predicate = Callable[[Json], bool]

_TOKEN = re.compile(
    r"""\s*(?:(?P<str>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|(?P<op>!=|<=|>=|=|<|>)|(?P<paren>[()])"""
    r"""|(?P<word>[A-Za-z_][A-Za-z0-9_]*))"""
)
_TEXT_FIELDS = ("name", "mimeType", "createdTime", "modifiedTime")
_FLAGS = ("trashed", "starred", "sharedWithMe")
_COLLECTIONS = ("parents", "owners", "writers", "readers")
_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


class QueryError(ValueError):
    """`q` is not a query Drive understands."""


def invalid_query() -> Exception:
    """Drive's answer to a `q` it cannot parse."""
    return drive_error(400, "Invalid Value", "invalid", "q")


def parse(text: str) -> Predicate:
    """The predicate of a query (an empty query matches every file); raises Drive's 400 when invalid."""
    try:
        tokens = _tokens(text)
        if not tokens:
            return lambda _f: True
        parser = _Parser(tokens)
        predicate = parser.disjunction()
        if parser.pos != len(tokens):
            raise QueryError("trailing input")
    except QueryError as exc:
        raise invalid_query() from exc
    return predicate


def _tokens(text: str) -> list[tuple[str, str]]:
    found, pos = [], 0
    text = text.strip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise QueryError(f"cannot read {text[pos:]!r}")
        kind = match.lastgroup or ""
        found.append((kind, match.group(kind)))
        pos = match.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return found


def _unquote(token: str) -> str:
    return re.sub(r"\\(.)", r"\1", token[1:-1])


class _Parser:
    """Recursive descent: or < and < not < term."""

    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.pos = 0

    def _peek(self) -> tuple[str, str]:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else ("", "")

    def _take(self) -> tuple[str, str]:
        token = self._peek()
        if not token[0]:
            raise QueryError("unexpected end")
        self.pos += 1
        return token

    def _keyword(self, word: str) -> bool:
        kind, value = self._peek()
        if kind == "word" and value.lower() == word:
            self.pos += 1
            return True
        return False

    def disjunction(self) -> Predicate:
        parts = [self.conjunction()]
        while self._keyword("or"):
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else lambda f: any(p(f) for p in parts)

    def conjunction(self) -> Predicate:
        parts = [self.negation()]
        while self._keyword("and"):
            parts.append(self.negation())
        return parts[0] if len(parts) == 1 else lambda f: all(p(f) for p in parts)

    def negation(self) -> Predicate:
        if self._keyword("not"):
            inner = self.negation()
            return lambda f: not inner(f)
        if self._peek() == ("paren", "("):
            self.pos += 1
            inner = self.disjunction()
            if self._take() != ("paren", ")"):
                raise QueryError("missing )")
            return inner
        return self.term()

    def term(self) -> Predicate:
        kind, value = self._take()
        if kind == "str":
            return self._membership(_unquote(value))
        if kind != "word":
            raise QueryError(f"unexpected {value!r}")
        if value in _FLAGS:
            return self._flag(value)
        if value in _TEXT_FIELDS or value == "fullText":
            return self._comparison(value)
        raise QueryError(f"unknown term {value!r}")

    def _membership(self, needle: str) -> Predicate:
        if not self._keyword("in"):
            raise QueryError("a quoted value must be followed by 'in'")
        kind, field = self._take()
        if kind != "word" or field not in _COLLECTIONS:
            raise QueryError(f"cannot search in {field!r}")
        return lambda f: needle.lower() in {str(v).lower() for v in f.get(field, [])}

    def _flag(self, name: str) -> Predicate:
        if self._peek()[0] != "op":
            return lambda f: bool(f.get(name))
        op = self._take()[1]
        kind, value = self._take()
        if op not in ("=", "!=") or kind != "word" or value.lower() not in ("true", "false"):
            raise QueryError(f"{name} compares with true or false")
        wanted = value.lower() == "true"
        return lambda f: (bool(f.get(name)) == wanted) == (op == "=")

    def _comparison(self, field: str) -> Predicate:
        kind, op = self._take()
        if kind == "word" and op == "contains":
            needle = self._string().lower()
            if field == "name":
                return lambda f: _prefix_match(str(f.get("name", "")), needle)
            if field == "fullText":
                return lambda f: needle in str(f.get("name", "")).lower()
            raise QueryError(f"{field} does not support contains")
        if kind != "op" or field == "fullText" or (field in ("name", "mimeType") and op not in ("=", "!=")):
            raise QueryError(f"{field} does not support {op}")
        target, compare = self._string(), _COMPARE[op]
        return lambda f: compare(str(f.get(field, "")), target)

    def _string(self) -> str:
        kind, value = self._take()
        if kind != "str":
            raise QueryError("a value must be quoted")
        return _unquote(value)


def _prefix_match(name: str, needle: str) -> bool:
    """Drive's `name contains`: "only performs prefix matching for a name term"."""
    lowered = name.lower()
    return lowered.startswith(needle) or any(t.startswith(needle) for t in re.split(r"[\s\W_]+", lowered))
