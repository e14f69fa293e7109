"""Writes are sent once: httplib2 must not resend a request whose answer was cut off.

httplib2 resends any request, POST included, when the first answer fails with a BadStatusLine (a dropped
connection: "If we get a BadStatusLine on the first try then that means the connection just went stale,
so retry regardless of the number of RETRIES set", httplib2.Http._conn_request). For a batchUpdate that
Google applied before the connection dropped, the resend applies it a second time: rows appended twice,
change-log rows doubled. A write therefore goes over a connection that refuses a second request; the
failure reaches the transport, which does not retry a write that may have been applied, and the next run
re-reads the sheet (the emulators' `lost_answer: drop` fault reproduces it: tests/e2e/test_lost_answers.py).
"""

from __future__ import annotations

from functools import cache
from typing import Any

READS = ("GET", "HEAD")


class WriteNotResent(ConnectionError):
    """The answer to a write was lost after it was sent; it is not sent again (it may have been applied)."""


@cache
def one_shot_type(https: bool) -> type[Any]:
    """httplib2's connection class for the scheme, refusing to send a second request."""
    import httplib2  # loaded with the first request, as connectors/sheets/transport.py explains

    base = httplib2.HTTPSConnectionWithTimeout if https else httplib2.HTTPConnectionWithTimeout

    class OneShot(base):  # type: ignore[misc, valid-type]
        sent = False

        def request(self, *args: Any, **kwargs: Any) -> Any:
            if self.sent:
                raise WriteNotResent("the answer to a write was lost; not sending it again")
            self.sent = True
            return super().request(*args, **kwargs)

    return OneShot


def write_options(http: Any, uri: str, method: str, kwargs: dict[str, Any]) -> dict[str, Any]:
    """`kwargs` for httplib2's request: a write gets a fresh one-shot connection, a read any but one.

    A write never reuses a connection, and nothing reuses a write's (the token request before an API
    call is a POST to the same host on the emulators).
    """
    write = method.upper() not in READS
    for key, connection in list(http.connections.items()):
        if write or getattr(connection, "sent", None) is not None:  # only one-shot connections have `sent`
            connection.close()
            del http.connections[key]
    if not write:
        return kwargs
    return kwargs | {"connection_type": one_shot_type(uri.lower().startswith("https:"))}
