"""`boardsheet serve`: the service under uvicorn, one worker (state lives in the store)."""

from __future__ import annotations

from typing import Annotated

import typer
import uvicorn

from app.cli.common import EXIT_BAD_USAGE, EXIT_FAILED, fail
from app.errors import BoardsheetError, StoreError
from app.main import create_app
from connectors.errors import ConnectorError

__all__ = ["serve"]


def serve(
    host: Annotated[str, typer.Option(envvar="BOARDSHEET_HOST", help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(envvar="BOARDSHEET_PORT", help="port to listen on")] = 8000,
) -> None:
    """Run the service: webhooks, timers, status page (one uvicorn worker; state lives in the store)."""
    try:
        app = create_app()
    except StoreError as exc:
        raise fail(str(exc), EXIT_FAILED) from exc
    except (BoardsheetError, ConnectorError) as exc:  # bad settings or config, unusable credentials
        raise fail(str(exc), EXIT_BAD_USAGE) from exc
    # One worker: each pair's coordinator must be the only one scheduling that pair in this process.
    uvicorn.run(app, host=host, port=port, workers=1, log_config=None, access_log=False)
