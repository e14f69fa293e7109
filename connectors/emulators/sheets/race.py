"""A test hook: a stakeholder's edit applied between a client's read and its next batchUpdate.

PUT /_emulator/race  {"spreadsheetId": ID, "requests": [Request, ...], "user": "EMAIL"}  arms one edit
GET /_emulator/race                                   what is armed, fired and refused
DELETE /_emulator/race                                disarms every edit

An armed edit fires once, just before the next `spreadsheets.batchUpdate` on that spreadsheet (edits
armed one after the other fire before one batchUpdate each, in order), as a
batchUpdate of its own through the same path as any call (sharing, protected ranges, Drive's change
notices): by the Google user `user` when named (who then needs write access), else by a privileged
tester. It makes the race of a person sorting, inserting or deleting rows while a service runs
deterministic: whatever the service read, the rows have moved by the time its write arrives. An edit
Google would refuse is counted in `refused` and the client's batchUpdate goes on, as a person's failed
edit would not stop it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from connectors.emulators.common import EMULATOR_PREFIX
from connectors.emulators.sheets import edits
from connectors.emulators.sheets.auth import Identity
from connectors.emulators.sheets.errors import ApiError, loads_body
from connectors.emulators.sheets.routes import Call
from connectors.emulators.sheets.state import Json, SheetsState

STAKEHOLDER = Identity("stakeholder@emulator.invalid", "tester", "stakeholder")


@dataclass
class ArmedEdits:
    """Edits waiting for a spreadsheet's next batchUpdate, in the order they were armed."""

    waiting: dict[str, list[tuple[list[Json], Identity]]] = field(default_factory=dict)
    fired: int = 0
    refused: list[str] = field(default_factory=list)
    firing: bool = False  # an edit's own batchUpdate does not fire the next edit

    def arm(self, spreadsheet_id: str, requests: list[Json], user: Identity = STAKEHOLDER) -> None:
        """Apply `requests` as `user` right before the next batchUpdate on `spreadsheet_id`."""
        self.waiting.setdefault(spreadsheet_id, []).append((requests, user))

    def fire(self, state: SheetsState, spreadsheet_id: str) -> None:
        """Apply the first edit armed for this spreadsheet, if any (the caller holds the state lock)."""
        waiting = self.waiting.get(spreadsheet_id)
        if not waiting or self.firing:
            return
        requests, user = waiting.pop(0)
        if not waiting:
            del self.waiting[spreadsheet_id]
        self.firing = True
        try:
            edits.run(state, Call("POST", spreadsheet_id, ":batchUpdate", {}, {"requests": requests}, user))
        except ApiError as exc:
            self.refused.append(exc.message)
            return
        finally:
            self.firing = False
        self.fired += 1

    def shown(self) -> Json:
        """What GET /_emulator/race answers."""
        armed = {sid: len(edits) for sid, edits in self.waiting.items()}
        return {"armed": armed, "fired": self.fired, "refused": list(self.refused)}


def _edit(body: Any) -> tuple[str, list[Json], Identity]:
    """(spreadsheetId, requests, user) from a PUT body; ValueError names what is wrong."""
    if not isinstance(body, dict):
        raise ValueError("send a JSON object")
    spreadsheet_id, requests = body.get("spreadsheetId"), body.get("requests")
    user = body.get("user")
    if not isinstance(spreadsheet_id, str) or not spreadsheet_id:
        raise ValueError("spreadsheetId must name a spreadsheet")
    if not isinstance(requests, list) or not requests or not all(isinstance(r, dict) for r in requests):
        raise ValueError("requests must be a non-empty list of batchUpdate requests")
    if user is None:
        return spreadsheet_id, requests, STAKEHOLDER
    if not isinstance(user, str) or "@" not in user:
        raise ValueError("user must be an e-mail address")
    return spreadsheet_id, requests, Identity(user.lower(), "user", user.lower())


def race_router(state: SheetsState, armed: ArmedEdits) -> APIRouter:
    """Arm, show and disarm stakeholder edits."""
    router = APIRouter(prefix=EMULATOR_PREFIX)

    @router.put("/race")
    async def put_race(request: Request) -> Response:
        try:
            body = loads_body(await request.body())
        except ValueError:
            body = None
        try:
            spreadsheet_id, requests, user = _edit(body)
        except ValueError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        with state.lock:
            armed.arm(spreadsheet_id, requests, user)
            return JSONResponse(armed.shown())

    @router.get("/race")
    def get_race() -> Json:
        with state.lock:
            return armed.shown()

    @router.delete("/race")
    def delete_race() -> Json:
        with state.lock:
            armed.waiting.clear()
            return armed.shown()

    return router
