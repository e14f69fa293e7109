"""The one JSON shape of every API error: {"error": {"code": "...", "message": "..."}}, and its handlers."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.core.error_text import describe_error
from app.errors import StoreError, UnknownPairError, UnknownPlanError
from app.web.params import not_found

__all__ = ["ApiError", "error_body", "error_response", "install_error_handlers"]

log = logging.getLogger(__name__)


class ApiError(Exception):
    """An error answered as `{"error": {"code", "message"}}` with an HTTP status."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers


def error_body(code: str, message: str) -> dict[str, Any]:
    """The error document: a stable machine `code` and a plain-words `message` (never a secret)."""
    return {"error": {"code": code, "message": message}}


def error_response(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    """A JSON response carrying `error_body(code, message)` with HTTP `status`."""
    return JSONResponse(error_body(code, message), status_code=status, headers=headers)


def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    """Starlette's HTTP errors (404 route, 405 method...) in the one JSON shape."""
    assert isinstance(exc, StarletteHTTPException)
    phrase = HTTPStatus(exc.status_code).phrase if exc.status_code in HTTPStatus._value2member_map_ else ""
    code = phrase.lower().replace(" ", "_").replace("-", "_") or "error"
    detail = exc.detail if isinstance(exc.detail, str) and exc.detail else phrase
    return error_response(exc.status_code, code, detail, headers=getattr(exc, "headers", None))


def _api_error(_request: Request, exc: Exception) -> JSONResponse:
    """Our own API errors."""
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.code, exc.message, headers=exc.headers)


def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    """422 in the one shape, naming what was wrong (never echoing the input); a bad path value is 404."""
    assert isinstance(exc, RequestValidationError)
    for error in exc.errors():
        where = tuple(error.get("loc", ()))
        if len(where) >= 2 and where[0] == "path":
            return error_response(404, *not_found(str(where[1])))
    problems = [
        f"{'.'.join(str(p) for p in error.get('loc', ()))}: {error.get('msg', 'invalid')}"
        for error in exc.errors()
    ]
    return error_response(422, "invalid_request", "; ".join(problems) or "invalid request")


def _unknown(_request: Request, exc: Exception) -> JSONResponse:
    """A pair that does not exist: 404 naming those that do; a plan: the malformed id's 404 (no echo)."""
    if isinstance(exc, UnknownPairError):
        return error_response(404, "unknown_pair", str(exc))
    return error_response(404, *not_found("plan_id"))


def _store_error(_request: Request, exc: Exception) -> JSONResponse:
    """The state store failed: 503, so probes and people retry (the message never holds a password)."""
    log.warning("request failed, the state store is unavailable: %s", describe_error(exc))
    return error_response(503, "store_unavailable", f"the state store is unavailable: {describe_error(exc)}")


def _internal_error(_request: Request, exc: Exception) -> JSONResponse:
    """Anything else: 500 in the one shape, without internals (the traceback goes to the log)."""
    log.error("request failed", exc_info=exc)
    return error_response(500, "internal", "internal error; see the service log")


def install_error_handlers(app: FastAPI) -> None:
    """Every API error answers `{"error": {"code", "message"}}`."""
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(UnknownPairError, _unknown)
    app.add_exception_handler(UnknownPlanError, _unknown)
    app.add_exception_handler(StoreError, _store_error)
    app.add_exception_handler(Exception, _internal_error)
