"""The `http` marker, enforced: a test not marked `http` can open no network socket and start no process.

So `pytest -m "not http"` runs the pure tests alone, and a test that quietly starts using the network fails
at once instead of slowing the fast subset down. AF_UNIX sockets (asyncio's self-pipe, FastAPI's TestClient)
stay allowed: they never leave the process's machine and need no server.
"""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Callable
from typing import Any

import psycopg
import pytest

MARKER = "http"
NETWORK = (socket.AF_INET, socket.AF_INET6)


class NotMarkedHttp(RuntimeError):
    """A test opened a socket or started a process without the `http` marker."""


def refuse(what: str) -> NotMarkedHttp:
    """The error a test not marked `http` gets, saying what it tried and what to do."""
    return NotMarkedHttp(
        f"this test is not marked http but {what}: mark it @pytest.mark.http "
        "(or its module: pytestmark = pytest.mark.http), see tests/README.md"
    )


def _guard_socket(method: Callable[..., Any], verb: str) -> Callable[..., Any]:
    """`method` (connect, connect_ex, bind) refusing network addresses."""

    def guarded(self: socket.socket, address: Any, *args: Any) -> Any:
        if self.family in NETWORK:
            self.close()  # refused, never to be used: no ResourceWarning blamed on a later test
            raise refuse(f"opened a socket ({verb} {address!r})")
        return method(self, address, *args)

    return guarded


def _refuse_process(*args: Any, **kwargs: Any) -> None:
    """subprocess.Popen.__init__ for tests not marked `http`."""
    command = args[1] if len(args) > 1 else kwargs.get("args")
    raise refuse(f"started a subprocess ({command!r})")


def _refuse_database(*args: Any, **kwargs: Any) -> None:
    """psycopg.connect for tests not marked `http` (libpq opens its sockets in C, out of Python's sight)."""
    raise refuse("opened a socket (a PostgreSQL connection)")


@pytest.fixture(autouse=True)
def _offline_unless_marked_http(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """For a test not marked `http`: network connect/bind, subprocesses and PostgreSQL raise NotMarkedHttp."""
    if request.node.get_closest_marker(MARKER) is not None:
        return
    for name in ("connect", "connect_ex", "bind"):
        monkeypatch.setattr(socket.socket, name, _guard_socket(getattr(socket.socket, name), name))
    monkeypatch.setattr(subprocess.Popen, "__init__", _refuse_process)
    monkeypatch.setattr(psycopg, "connect", _refuse_database)
