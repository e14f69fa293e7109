"""TrelloCalls, TrelloConnector's base: py-trello on our session, failures translated, secrets masked."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any, TypeVar

import requests
from trello import TrelloClient
from trello.exceptions import ResourceUnavailable

from connectors.errors import BadResponse, unreachable
from connectors.metering import Observer
from connectors.trello.names import Names
from connectors.trello.session import (
    TrelloAuth,
    TrelloSession,
    mask_urllib3_request_lines,
    trello_limiter,
)
from connectors.trello.translate import body_of, chain, raise_for_status

T = TypeVar("T")

SERVICE = "trello"
MASK = "***"


class TrelloCalls:
    """The session, py-trello's client and the translated call that TrelloConnector's methods make."""

    def __init__(
        self,
        api_key: str,
        token: str,
        *,
        api_url: str | None,
        retry_seconds: float,
        requests_per_10s: int,
        observer: Observer | None,
    ) -> None:
        """The session limited per token (`requests_per_10s`), retried for `retry_seconds`, observed."""
        limiter = trello_limiter(token, api_url, requests_per_10s)
        self._session = TrelloSession(
            limiter, api_url=api_url, retry_seconds=retry_seconds, observer=observer
        )
        self._client = TrelloClient(api_key, token=token, http_service=self._session)
        # Trello's plain OAuth header: no secret in query strings, and no oauthlib DEBUG logs echoing them.
        self._client.oauth = TrelloAuth(api_key, token)
        mask_urllib3_request_lines()
        self._token = token
        self._secrets = tuple(s for s in (api_key, token) if s)
        self.names = Names()  # what the board reads named: messages say "list 'Ideas'", not its id
        # Kept-alive connections are closed when the connector goes away, even if nobody calls close().
        self._closer = weakref.finalize(self, self._session.close)

    def close(self) -> None:
        """Close the kept-alive connections (the connector reconnects if used again)."""
        self._session.close()

    @property
    def requests_made(self) -> int:
        """HTTP requests sent, retries included."""
        return self._session.requests_made

    def _object(self, what: str, path: str, *args: Any, **kw: Any) -> dict[str, Any]:
        """A fetch_json call that must answer a JSON object."""
        answer = self._json(what, path, *args, **kw)
        if not isinstance(answer, dict):
            raise BadResponse(f"Trello answered {what} with something not an object", service=SERVICE)
        return answer

    def _json(
        self, what: str, path: str, method: str = "GET", post_args: dict[str, Any] | None = None, **kw: Any
    ) -> Any:
        """One fetch_json call, its failures translated."""

        def call() -> Any:
            return self._client.fetch_json(path, http_method=method, post_args=post_args, **kw)

        return self._translated(what, call)

    def _translated(self, what: str, call: Callable[[], T]) -> T:
        """Run `call`, turning py-trello's and requests' failures into the connectors.errors tree."""
        try:
            return call()
        except ResourceUnavailable as exc:
            self._scrub_chain(exc)
            raise_for_status(what, getattr(exc, "_status", None), self._scrub(body_of(exc)), exc)
        except (requests.ConnectionError, requests.Timeout) as exc:
            self._scrub_chain(exc)
            raise unreachable(self._session.api_name, exc, what, service=SERVICE) from exc
        except (requests.RequestException, ValueError) as exc:
            self._scrub_chain(exc)
            raise BadResponse(f"Trello answered {what} unreadably", service=SERVICE) from exc

    def _scrub(self, text: str) -> str:
        """`text` with every secret masked."""
        for secret in self._secrets:
            text = text.replace(secret, MASK)
        return text

    def _scrub_chain(self, exc: BaseException) -> None:
        """Mask secrets in an exception and its causes, since they are chained into our errors' tracebacks."""
        for link in chain(exc):
            if isinstance(link, ResourceUnavailable):
                link._msg = self._scrub(str(link._msg))
            link.args = tuple(self._scrub(str(arg)) for arg in link.args)
