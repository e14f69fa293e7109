"""The connectors' error tree: every API failure surfaces as one of these.

    ConnectorError                 any failure talking to Trello or Google Sheets
    ├── AuthError                  401/403: a key, token or credential is wrong or lacks access
    ├── NotFound                   404: the board, card, spreadsheet or tab does not exist
    │   └── TabNotFound            the spreadsheet exists but has no tab of that name
    ├── RateLimited                429 still answered after every retry
    ├── Transient                  5xx or a connection failure still answered after every retry
    └── BadResponse                400 or an answer of an unexpected shape
        ├── Incomplete             a read that cannot be proven whole (a capped or inconsistent answer)
        └── TooManyCards           403 API_TOO_MANY_CARDS_REQUESTED: Trello refused the response's size

Messages name the service and what was asked, never a key, token or credential.
"""

from __future__ import annotations

import socket


class ConnectorError(Exception):
    """Base of every connector failure; `service` is "trello" or "sheets"."""

    def __init__(self, message: str, *, service: str, status: int | None = None) -> None:
        super().__init__(message)
        self.service = service
        self.status = status

    @property
    def message(self) -> str:
        """The human-readable message (without the service prefix)."""
        return str(self.args[0]) if self.args else ""


class AuthError(ConnectorError):
    """The API refused our credentials (401) or their access (403); never retried."""


class NotFound(ConnectorError):
    """The thing asked for does not exist, or is not visible to these credentials."""


class TabNotFound(NotFound):
    """The spreadsheet exists but has no tab with the asked title."""


class RateLimited(ConnectorError):
    """The API kept answering 429 after every retry."""


class Transient(ConnectorError):
    """The API kept failing with 5xx or connection errors after every retry."""


class BadResponse(ConnectorError):
    """The API rejected the request (400) or answered something we cannot read."""


class Incomplete(BadResponse):
    """An answer that may lack objects (a page cap hit, pages that overlap): never used as a whole."""


class TooManyCards(BadResponse):
    """Trello refused to return that many cards in one response (403 API_TOO_MANY_CARDS_REQUESTED)."""


def error_for_status(status: int | None, message: str, *, service: str) -> ConnectorError:
    """The ONE HTTP status -> error table both connectors use (callers add their special cases first)."""
    kind: type[ConnectorError]
    if status in (401, 403):
        kind = AuthError
    elif status == 404:
        kind = NotFound
    elif status == 429:
        kind = RateLimited
    elif status is not None and status >= 500:
        kind = Transient
    else:
        kind = BadResponse
    return kind(message, service=service, status=status)


def _chain(exc: BaseException) -> list[BaseException]:
    """An exception, its causes and contexts, and exceptions carried in args (requests wraps urllib3)."""
    seen: list[BaseException] = []
    todo: list[BaseException] = [exc]
    while todo:
        link = todo.pop()
        if any(link is s for s in seen):
            continue
        seen.append(link)
        todo += [e for e in (link.__cause__, link.__context__, *link.args) if isinstance(e, BaseException)]
        reason = getattr(link, "reason", None)
        if isinstance(reason, BaseException):
            todo.append(reason)
    return seen


def what_happened(exc: BaseException) -> str:
    """A connection failure in plain words: "connection refused", "timed out", "host not found", ..."""
    chain = _chain(exc)
    for kind, words in (
        (ConnectionRefusedError, "connection refused"),
        (socket.gaierror, "host not found"),
        (ConnectionResetError, "connection reset"),
        (TimeoutError, "timed out"),
    ):
        if any(isinstance(link, kind) for link in chain):
            return words
    if any("timed out" in str(link).lower() or "timeout" in type(link).__name__.lower() for link in chain):
        return "timed out"
    return f"cannot connect ({type(exc).__name__})"


def unreachable(api: str, exc: BaseException, what: str, *, service: str) -> Transient:
    """A connection failure left after retries, naming the API and its host: "Sheets API at
    http://127.0.0.1:18002: connection refused (reading tab 'Calendar' ...)"."""
    return Transient(f"{api}: {what_happened(exc)} ({what})", service=service)
