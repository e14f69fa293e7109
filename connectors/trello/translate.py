"""Trello failures as the connectors.errors tree: py-trello's exceptions and HTTP statuses translated."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NoReturn

from trello.exceptions import ResourceUnavailable

from connectors.errors import TooManyCards, error_for_status

SERVICE = "trello"
# The response-size refusal (https://developer.atlassian.com/cloud/trello/guides/rest-api/rate-limits/).
TOO_MANY_CARDS = "API_TOO_MANY_CARDS_REQUESTED"


def chain(exc: BaseException) -> Iterator[BaseException]:
    """An exception and every exception it was raised from or during."""
    seen: set[int] = set()
    link: BaseException | None = exc
    while link is not None and id(link) not in seen:
        seen.add(id(link))
        yield link
        link = link.__cause__ or link.__context__


def body_of(exc: ResourceUnavailable) -> str:
    """The response text py-trello put in the message, without the URL it appends."""
    message = str(getattr(exc, "_msg", ""))
    return message.rsplit(" at https://", 1)[0][:200]


def raise_for_status(what: str, status: int | None, body: str, cause: Exception) -> NoReturn:
    """Raise the connectors.errors class for an HTTP status (the table is `error_for_status`)."""
    if status == 403 and TOO_MANY_CARDS in body:
        raise TooManyCards(
            f"Trello refused to return so many cards for {what} in one answer "
            f"(HTTP 403 {TOO_MANY_CARDS}); nothing was changed",
            service=SERVICE,
            status=status,
        ) from cause
    if status in (401, 403):
        text = f"Trello refused access to {what} (HTTP {status})"
    elif status == 404:
        text = f"Trello has no {what} (HTTP 404)"
    elif status == 429:
        text = f"Trello kept rate-limiting requests for {what} (HTTP 429)"
    elif status is not None and status >= 500:
        text = f"Trello kept failing for {what} (HTTP {status})"
    else:
        text = f"Trello rejected the request for {what} (HTTP {status}): {body}"
    raise error_for_status(status, text, service=SERVICE) from cause
