"""Drive v3 calls on the Sheets emulator, acting as a Google user (`Bearer user:EMAIL`)."""

from __future__ import annotations

from typing import Any

import requests

from tests.support.sheets_emulator import SheetsEmulator

SPREADSHEET = "application/vnd.google-apps.spreadsheet"


def drive(
    emu: SheetsEmulator, who: str, method: str, path: str, body: Any = None, **params: Any
) -> requests.Response:
    """One Drive call as `who` (a Google user's e-mail), `path` under /drive/v3."""
    with emu.as_user(who) as session:
        return session.request(
            method, f"{emu.url}/drive/v3{path}", json=body, params=params or None, timeout=10
        )


def create_file(emu: SheetsEmulator, who: str, name: str) -> str:
    """files.create of a spreadsheet owned by `who`; its id."""
    answer = drive(emu, who, "POST", "/files", {"name": name, "mimeType": SPREADSHEET})
    assert answer.status_code == 200, answer.text
    file_id: str = answer.json()["id"]
    return file_id


def share(
    emu: SheetsEmulator, who: str, file_id: str, email: str, role: str, **params: Any
) -> requests.Response:
    """permissions.create of a user permission, as `who`."""
    body = {"type": "user", "role": role, "emailAddress": email}
    return drive(emu, who, "POST", f"/files/{file_id}/permissions", body, **params)
