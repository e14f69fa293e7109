"""ONE status -> error table (connectors.errors.error_for_status); every client's failures go through it."""

from __future__ import annotations

import httplib2
import pytest
from googleapiclient.errors import HttpError

from connectors.errors import (
    AuthError,
    BadResponse,
    ConnectorError,
    NotFound,
    RateLimited,
    TooManyCards,
    Transient,
    error_for_status,
)
from connectors.sheets.transport import http_error
from connectors.trello.translate import TOO_MANY_CARDS, raise_for_status

TABLE: list[tuple[int | None, type[ConnectorError]]] = [
    (400, BadResponse),
    (401, AuthError),
    (403, AuthError),
    (404, NotFound),
    (409, BadResponse),
    (422, BadResponse),
    (429, RateLimited),
    (500, Transient),
    (502, Transient),
    (503, Transient),
    (None, BadResponse),
]


@pytest.mark.parametrize(("status", "kind"), TABLE)
def test_the_table(status: int | None, kind: type[ConnectorError]) -> None:
    error = error_for_status(status, "what happened", service="x")
    assert type(error) is kind
    assert (error.status, error.service, str(error)) == (status, "x", "what happened")


def _trello(status: int | None, body: str = "refused") -> ConnectorError:
    with pytest.raises(ConnectorError) as raised:
        raise_for_status("board b1", status, body, RuntimeError("py-trello"))
    return raised.value


def _google(status: int, service: str) -> ConnectorError:
    answer = httplib2.Response({"status": status})
    answer.reason = "refused"
    return http_error(HttpError(answer, b"{}"), "tab Calendar", None, service=service)


@pytest.mark.parametrize(("status", "kind"), [(s, k) for s, k in TABLE if s is not None])
def test_trello_sheets_and_drive_answer_a_status_with_the_same_error(
    status: int, kind: type[ConnectorError]
) -> None:
    errors = {"trello": _trello(status), **{name: _google(status, name) for name in ("sheets", "drive")}}
    assert {name: type(e) for name, e in errors.items()} == dict.fromkeys(errors, kind)
    assert {name: (e.service, e.status) for name, e in errors.items()} == {n: (n, status) for n in errors}


def test_only_the_special_cases_come_before_the_table() -> None:
    # Trello's response-size refusal is a 403 that is not about access.
    assert type(_trello(403, f'{{"error": "{TOO_MANY_CARDS}"}}')) is TooManyCards
    assert type(_trello(403, "invalid token")) is AuthError
