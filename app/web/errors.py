"""The one JSON shape of every API error: {"error": {"code": "...", "message": "..."}}."""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse

__all__ = ["error_body", "error_response"]


def error_body(code: str, message: str) -> dict[str, Any]:
    """The error document: a stable machine `code` and a plain-words `message` (never a secret)."""
    return {"error": {"code": code, "message": message}}


def error_response(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    """A JSON response carrying `error_body(code, message)` with HTTP `status`."""
    return JSONResponse(error_body(code, message), status_code=status, headers=headers)
