"""Google's error answers: `{"error": {"code", "message", "status"[, "details"]}}`."""

from __future__ import annotations

from typing import Any

Json = dict[str, Any]


class ApiError(Exception):
    """An error answered with Google's body `{"error": {"code", "message", "status"}}`."""

    def __init__(
        self,
        code: int,
        message: str,
        status: str,
        field: str | None = None,
        details: list[Json] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.details = list(details or [])
        if field is not None:
            violation = {"field": field, "description": message}
            self.details.append(
                {"@type": "type.googleapis.com/google.rpc.BadRequest", "fieldViolations": [violation]}
            )

    def body(self) -> Json:
        """Google's JSON error body, with `details` when there are any."""
        error: Json = {"code": self.code, "message": self.message, "status": self.status}
        if self.details:
            error["details"] = self.details
        return {"error": error}


def bad_request(message: str) -> ApiError:
    """A 400 INVALID_ARGUMENT."""
    return ApiError(400, message, "INVALID_ARGUMENT")


def not_found() -> ApiError:
    """Google's 404 for an unknown spreadsheet."""
    return ApiError(404, "Requested entity was not found.", "NOT_FOUND")


def unparsable(text: str) -> ApiError:
    """Google's 400 for a range it cannot parse or resolve."""
    return bad_request(f"Unable to parse range: {text}")
