"""`boardsheet serve`: the service under uvicorn, one worker (state lives in the store)."""

from __future__ import annotations

import contextlib
import socket
import sys
import threading
from typing import Annotated

import typer
import uvicorn

from app.cli.common import EXIT_BAD_USAGE, EXIT_FAILED, ConfigOpt, fail, load
from app.errors import BoardsheetError, StoreError
from app.main import create_app
from connectors.errors import ConnectorError

__all__ = ["serve"]

STARTUP_FAILURE = 3  # uvicorn.run's exit code when the app's start-up failed


class _Server(uvicorn.Server):
    """uvicorn's server that tells the app when its socket listens: webhook registration waits for it,
    since Trello checks the callback URL with a HEAD request the moment a webhook is created."""

    def __init__(self, config: uvicorn.Config, listening: threading.Event) -> None:
        super().__init__(config)
        self._listening = listening

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if not self.should_exit:  # bound and serving
            self._listening.set()


def check_port(host: str, port: int) -> None:
    """Exit 2 naming the address when the port cannot be bound (in use, or not ours), before starting.

    uvicorn would log the error and exit 1, which the contract keeps for failed runs: the port is a
    usage problem (choose another --port), so it is one.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}", EXIT_BAD_USAGE) from exc
    family, kind, proto, _name, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind(address)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise fail(
                f"cannot listen on {host}:{port}: {reason}; choose another --port", EXIT_BAD_USAGE
            ) from exc


def serve(
    host: Annotated[str, typer.Option(envvar="BOARDSHEET_HOST", help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(envvar="BOARDSHEET_PORT", help="port to listen on")] = 8000,
    config: ConfigOpt = None,
) -> None:
    """Run the service: webhooks, timers, status page (one uvicorn worker; state lives in the store)."""
    settings, loaded = load(config)
    try:
        app = create_app(settings, loaded)
    except StoreError as exc:
        raise fail(str(exc), EXIT_FAILED) from exc
    except (BoardsheetError, ConnectorError) as exc:  # bad settings or config, unusable credentials
        raise fail(str(exc), EXIT_BAD_USAGE) from exc
    check_port(host, port)
    listening = app.state.listening = threading.Event()
    # One worker: each pair's coordinator must be the only one scheduling that pair in this process.
    server = _Server(uvicorn.Config(app, host=host, port=port, log_config=None, access_log=False), listening)
    with contextlib.suppress(KeyboardInterrupt):  # as uvicorn.run: Ctrl-C during start-up ends quietly
        server.run()
    if not server.started:
        sys.exit(STARTUP_FAILURE)
