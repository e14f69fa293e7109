"""The `http` marker is enforced (tests/support/offline.py): unmarked tests stay off the network."""

from __future__ import annotations

import socket
import subprocess
import sys

import psycopg
import pytest

from tests.support.offline import NotMarkedHttp


def test_an_unmarked_test_can_neither_connect_nor_bind() -> None:
    with pytest.raises(NotMarkedHttp, match="not marked http but opened a socket"):
        socket.create_connection(("127.0.0.1", 9), timeout=1)
    with socket.socket() as server, pytest.raises(NotMarkedHttp, match=r"bind \('127.0.0.1', 0\)"):
        server.bind(("127.0.0.1", 0))


def test_an_unmarked_test_can_start_no_process_and_reach_no_database() -> None:
    with pytest.raises(NotMarkedHttp, match="started a subprocess"):
        subprocess.run([sys.executable, "-c", "pass"], check=False)
    with pytest.raises(NotMarkedHttp, match="PostgreSQL"):
        psycopg.connect("host=127.0.0.1 dbname=test")


def test_local_socket_pairs_stay_allowed() -> None:
    # asyncio's self-pipe and FastAPI's TestClient use them; they never leave the process.
    left, right = socket.socketpair()
    with left, right:
        left.sendall(b"ping")
        assert right.recv(4) == b"ping"


@pytest.mark.http
def test_a_test_marked_http_may_listen_and_start_processes() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        assert server.getsockname()[1] > 0
    assert subprocess.run([sys.executable, "-c", "pass"], check=False).returncode == 0
