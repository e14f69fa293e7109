"""Bearer-token checks, the service-account JWT-bearer token grant, and per-user read/write quotas."""

from __future__ import annotations

import hashlib
import threading
import time
from collections import defaultdict, deque
from typing import Any
from urllib.parse import parse_qs

from fastapi import Request

from connectors.emulators.sheets.errors import ApiError

JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
TOKEN_LIFETIME = 3600


def unauthenticated() -> ApiError:
    """Google's 401 for a request without valid credentials."""
    return ApiError(
        401,
        "Request is missing required authentication credential. Expected OAuth 2 access token, login "
        "cookie or other valid authentication credential. See "
        "https://developers.google.com/identity/sign-in/web/devconsole-project.",
        "UNAUTHENTICATED",
    )


def bearer_user(request: Request) -> str:
    """The caller's identity (a hash of the bearer token), or Google's 401."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise unauthenticated()
    return hashlib.sha256(token.strip().encode()).hexdigest()[:16]


def grant_token(form_body: bytes) -> tuple[int, dict[str, Any]]:
    """Answer a JWT-bearer grant: any well-formed assertion gets a fresh access token."""
    fields = {k: v[0] for k, v in parse_qs(form_body.decode("utf-8", "replace")).items()}
    if fields.get("grant_type") != JWT_GRANT:
        return 400, {"error": "unsupported_grant_type", "error_description": "Invalid grant_type."}
    assertion = fields.get("assertion", "")
    if assertion.count(".") != 2:
        return 400, {"error": "invalid_grant", "error_description": "Invalid JWT Signature."}
    digest = hashlib.sha256(assertion.encode()).hexdigest()
    token = f"ya29.emulator-{digest[:40]}"
    return 200, {"access_token": token, "expires_in": TOKEN_LIFETIME, "token_type": "Bearer"}


class Quota:
    """Sliding one-minute windows of reads and writes per user, as Google meters them."""

    def __init__(self, per_minute: int | None) -> None:
        self.per_minute = per_minute
        self._calls: dict[tuple[str, str], deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def charge(self, user: str, kind: str) -> None:
        """Count one call of `kind` ("read"/"write"), or raise Google's 429 when over quota."""
        if self.per_minute is None:
            return
        now = time.monotonic()
        with self._lock:
            window = self._calls[(user, kind)]
            while window and window[0] <= now - 60:
                window.popleft()
            if len(window) >= self.per_minute:
                raise quota_exceeded(kind, self.per_minute)
            window.append(now)


def quota_exceeded(kind: str, limit: int) -> ApiError:
    """Google's 429 RESOURCE_EXHAUSTED for a per-user quota."""
    metric = "Read" if kind == "read" else "Write"
    info = {
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        "reason": "RATE_LIMIT_EXCEEDED",
        "domain": "googleapis.com",
        "metadata": {
            "consumer": "projects/emulator",
            "quota_limit": f"{metric}RequestsPerMinutePerUser",
            "quota_limit_value": str(limit),
            "quota_metric": f"sheets.googleapis.com/{kind}_requests",
            "service": "sheets.googleapis.com",
        },
    }
    return ApiError(
        429,
        f"Quota exceeded for quota metric '{metric} requests' and limit '{metric} requests per minute "
        f"per user' of service 'sheets.googleapis.com' for consumer 'project_number:emulator'.",
        "RESOURCE_EXHAUSTED",
        details=[info],
    )
