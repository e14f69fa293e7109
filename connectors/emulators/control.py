"""What both emulators add around the real APIs: the request log, faults and limits switchable at run
time, all under /_emulator/ (the only endpoints that are not the real APIs'), and the fault middleware.

GET/DELETE /_emulator/requests   the request log (method, path, status, time) / clear it
GET/PUT    /_emulator/faults     fault rates (common.Faults), e.g. {"error_rate": 0} to heal a soak
GET/PUT    /_emulator/limits     the API's own limits (the Sheets quota, Trello's rate limits)
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from connectors.emulators.common import EMULATOR_PREFIX, Faults, RequestLog

FaultBody = Callable[[int], Response]
NO_ANSWER = 0  # the status logged for a dropped connection


@dataclass
class Limits:
    """An emulator's limits as data: `describe()` answers them, `update(changes)` sets them (ValueError)."""

    describe: Callable[[], dict[str, Any]]
    update: Callable[[dict[str, Any]], None]


def install_common(
    app: FastAPI, log: RequestLog, faults: Faults, fault_body: FaultBody, limits: Limits | None = None
) -> None:
    """Add the /_emulator/ endpoints and the log-and-fault middleware (outermost) to an emulator app."""
    app.include_router(_router(log, faults, limits))
    app.add_middleware(FaultsAndLog, log=log, faults=faults, fault_body=fault_body)


def _router(log: RequestLog, faults: Faults, limits: Limits | None) -> APIRouter:
    router = APIRouter(prefix=EMULATOR_PREFIX)

    @router.get("/requests")
    def list_requests() -> list[dict[str, Any]]:
        return log.snapshot()

    @router.delete("/requests")
    def clear_requests() -> dict[str, bool]:
        log.clear()
        return {"cleared": True}

    @router.get("/faults")
    def get_faults() -> dict[str, Any]:
        return faults.describe()

    @router.put("/faults")
    async def put_faults(request: Request) -> Response:
        return await _update(request, faults.update, faults.describe)

    if limits is not None:

        @router.get("/limits")
        def get_limits() -> dict[str, Any]:
            return limits.describe()

        @router.put("/limits")
        async def put_limits(request: Request) -> Response:
            return await _update(request, limits.update, limits.describe)

    return router


async def _update(
    request: Request, update: Callable[[dict[str, Any]], None], describe: Callable[[], dict[str, Any]]
) -> Response:
    """Apply a JSON object of settings; 400 {"error": ...} when it is not one or a value is refused."""
    try:
        try:
            changes = await request.json()
        except ValueError as exc:  # never json's own wording ("Expecting value: line 1 column 1")
            raise ValueError("the body is not JSON: send a JSON object of settings") from exc
        if not isinstance(changes, dict):
            raise ValueError("send a JSON object of settings")
        update(changes)
    except ValueError as exc:
        return JSONResponse({"error": str(exc)}, status_code=400)
    return JSONResponse(describe())


class FaultsAndLog:
    """Pure ASGI middleware: latency, injected 503/429, late and lost answers, and the request log."""

    def __init__(self, app: ASGIApp, log: RequestLog, faults: Faults, fault_body: FaultBody) -> None:
        self.app = app
        self.log = log
        self.faults = faults
        self.fault_body = fault_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or path.startswith(EMULATOR_PREFIX):
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        if self.faults.latency:
            await asyncio.sleep(self.faults.latency)
        injected = self.faults.draw()
        if injected is not None:
            self.log.record(method, path, injected)
            await self.fault_body(injected)(scope, receive, send)
            return
        if self.faults.loses(method):
            await self._lose(scope, receive, send)
            return

        delay = self.faults.delay(method)

        async def noting(message: Message) -> None:
            if message["type"] == "http.response.start":
                # Logged before the client can see the answer: whoever reads the log after a request
                # always finds it there (even one that stopped waiting for a late answer).
                self.log.record(method, path, int(message["status"]))
                if delay:  # applied already: only the answer waits (Faults.write_delay)
                    await asyncio.sleep(delay)
            await send(message)

        await self.app(scope, receive, noting)

    async def _lose(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Apply the write, then lose its answer: a 503, or a connection closed without one."""

        async def swallow(_message: Message) -> None:
            return None

        await self.app(scope, receive, swallow)
        method, path = scope["method"], scope.get("path", "")
        cycle = _cycle(receive) if self.faults.lost_answer == "drop" else None
        if cycle is not None:
            self.log.record(method, path, NO_ANSWER)
            cycle.transport.abort()
            cycle.disconnected = True  # uvicorn then expects no answer and logs nothing
            return
        self.log.record(method, path, 503)  # also when there is no connection to drop (not under uvicorn)
        await self.fault_body(503)(scope, receive, send)


def _cycle(receive: Receive) -> Any:
    """uvicorn's request cycle behind `receive` (it owns the client's transport), or None."""
    cycle: Any = getattr(receive, "__self__", None)
    if getattr(cycle, "transport", None) is None or not hasattr(cycle, "disconnected"):
        return None
    return cycle
