"""Google's error answers: `{"error": {"code", "message", "status"[, "details"]}}` (Sheets) and Drive v3's
`{"error": {"code", "message", "errors": [{"domain", "reason", "message", ...}]}}`."""

from __future__ import annotations

import json
import math
from html import escape
from typing import Any

Json = dict[str, Any]

# Google's front end answers a path no API serves (or a method a path does not take) with this HTML page,
# not a JSON error: `content-type: text/html; charset=utf-8`, as reported from Sheets hosts
# (googleapis/google-api-ruby-client#6103, TehShrike/sheetsy#10) and in captured bodies ("<p><b>404.</b>
# <ins>That's an error.</ins> <p>The requested URL <code>/</code> was not found on this server.", with a
# typographic apostrophe).
NO_SUCH_PATH_PAGE = (
    "<!DOCTYPE html>\n<html lang=en>\n  <meta charset=utf-8>\n"
    "  <title>Error 404 (Not Found)!!1</title>\n"
    "  <p><b>404.</b> <ins>That\u2019s an error.</ins>\n"
    "  <p>The requested URL <code>{path}</code> was not found on this server."
    "  <ins>That\u2019s all we know.</ins>\n"
)


def no_such_path_page(path: str) -> str:
    """Google's HTML 404 page for a path (without its query) that no API serves."""
    return NO_SUCH_PATH_PAGE.format(path=escape(path))


class ApiError(Exception):
    """An error answered with Google's body `{"error": {"code", "message", "status"}}`."""

    def __init__(
        self,
        code: int,
        message: str,
        status: str,
        field: str | None = None,
        details: list[Json] | None = None,
        errors: list[Json] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.details = list(details or [])
        self.errors = list(errors or [])
        if field is not None:
            violation = {"field": field, "description": message}
            self.details.append(
                {"@type": "type.googleapis.com/google.rpc.BadRequest", "fieldViolations": [violation]}
            )

    def body(self) -> Json:
        """Google's JSON error body, with `errors` (Drive) and `details` when there are any."""
        error: Json = {"code": self.code, "message": self.message}
        if self.errors:
            error["errors"] = self.errors
        if self.status:
            error["status"] = self.status
        if self.details:
            error["details"] = self.details
        return {"error": error}


def bad_request(message: str) -> ApiError:
    """A 400 INVALID_ARGUMENT."""
    return ApiError(400, message, "INVALID_ARGUMENT")


def not_found() -> ApiError:
    """Google's 404 for an unknown spreadsheet."""
    return ApiError(404, "Requested entity was not found.", "NOT_FOUND")


def permission_denied(message: str = "The caller does not have permission") -> ApiError:
    """Google's 403 PERMISSION_DENIED (recorded: ClientTest.test_access_private_spreadsheet)."""
    return ApiError(403, message, "PERMISSION_DENIED")


def drive_error(
    code: int, message: str, reason: str, location: str | None = None, location_type: str = "parameter"
) -> ApiError:
    """A Drive v3 error: one `errors` entry with domain `global` and the reason."""
    entry: Json = {"message": message, "domain": "global", "reason": reason}
    if location is not None:
        entry |= {"location": location, "locationType": location_type}
    return ApiError(code, message, "", errors=[entry])


def unparsable(text: str) -> ApiError:
    """Google's 400 for a range it cannot parse or resolve."""
    return bad_request(f"Unable to parse range: {text}")


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):  # 1e400: no double holds it
        raise ValueError(f"number out of range: {text}")
    return number


def _not_json(name: str) -> Any:
    raise ValueError(f"not JSON: {name}")  # NaN, Infinity: Python's json takes them, JSON has no such token


def loads_body(raw: bytes | str) -> Any:
    """A request body as JSON; ValueError for what no JSON parser (Google's) reads as a finite number.

    Python's json turns `NaN`, `Infinity` and `1e400` into floats no JSON answer can carry: stored in a
    cell they made every later read of the tab a 500.
    """
    return json.loads(raw, parse_constant=_not_json, parse_float=_finite)
