"""Who a request acts as, the service-account JWT-bearer token grant, and per-user read/write quotas.

Identities (docs/emulators.md): a token issued at `POST /token` acts as the service account that signed the
assertion (or the user it impersonates, `sub`); `Bearer user:EMAIL` acts as that Google user; any other
bearer token is a privileged test user who may do everything. The issued token carries its e-mail, so a
restarted emulator still knows who a token belongs to.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from connectors.emulators.sheets.errors import ApiError

JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
TOKEN_LIFETIME = 3600
TOKEN_PREFIX = "ya29.emulator-"  # noqa: S105 - the prefix of the tokens it issues, not a secret
USER_PREFIX = "user:"
TESTER_DOMAIN = "emulator.invalid"


@dataclass(frozen=True)
class Identity:
    """The caller: an e-mail, its kind (service, user or tester) and the key its quota is counted under."""

    email: str
    kind: str  # "service" (a service account), "user" (a Google user), "tester" (privileged)
    quota_key: str

    @property
    def privileged(self) -> bool:
        """A privileged test user may do everything (simple clients and tests)."""
        return self.kind == "tester"


def unauthenticated() -> ApiError:
    """Google's 401 for a request without valid credentials."""
    return ApiError(
        401,
        "Request is missing required authentication credential. Expected OAuth 2 access token, login "
        "cookie or other valid authentication credential. See "
        "https://developers.google.com/identity/sign-in/web/devconsole-project.",
        "UNAUTHENTICATED",
    )


def identify(authorization: str) -> Identity:
    """The identity behind an `Authorization` header, or Google's 401."""
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise unauthenticated()
    if token.startswith(USER_PREFIX):
        email = token[len(USER_PREFIX) :].strip().lower()
        if "@" not in email:
            raise unauthenticated()
        return Identity(email, "user", email)
    if token.startswith(TOKEN_PREFIX):
        return _issued(token)
    digest = hashlib.sha256(token.encode()).hexdigest()
    return Identity(f"tester-{digest[:8]}@{TESTER_DOMAIN}", "tester", digest[:16])


def _issued(token: str) -> Identity:
    """A token from grant_token: `ya29.emulator-<kind><base64url e-mail>.<digest>`; anything else is 401."""
    body = token[len(TOKEN_PREFIX) :]
    encoded, _, _digest = body.partition(".")
    kind = {"s": "service", "u": "user"}.get(encoded[:1])
    try:
        email = _b64decode(encoded[1:]).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise unauthenticated() from None
    if kind is None or "@" not in email:
        raise unauthenticated()
    return Identity(email, kind, email)


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _claims(assertion: str) -> dict[str, Any] | None:
    """The JWT's claims (the signature is not checked: the emulator has no key registry)."""
    parts = assertion.split(".")
    if len(parts) != 3:
        return None
    try:
        claims = json.loads(_b64decode(parts[1]))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return claims if isinstance(claims, dict) else None


def grant_token(form_body: bytes) -> tuple[int, dict[str, Any]]:
    """Answer a JWT-bearer grant: a token acting as the assertion's `sub` (delegation) or else `iss`."""
    fields = {k: v[0] for k, v in parse_qs(form_body.decode("utf-8", "replace")).items()}
    if fields.get("grant_type") != JWT_GRANT:
        return 400, {"error": "unsupported_grant_type", "error_description": "Invalid grant_type."}
    assertion = fields.get("assertion", "")
    claims = _claims(assertion)
    issuer = str((claims or {}).get("iss") or "")
    if claims is None or "@" not in issuer:
        return 400, {"error": "invalid_grant", "error_description": "Invalid JWT Signature."}
    subject = str(claims.get("sub") or "")
    kind, email = ("u", subject) if "@" in subject and subject != issuer else ("s", issuer)
    encoded = base64.urlsafe_b64encode(email.lower().encode()).decode().rstrip("=")
    digest = hashlib.sha256(assertion.encode()).hexdigest()[:32]
    token = f"{TOKEN_PREFIX}{kind}{encoded}.{digest}"
    return 200, {"access_token": token, "expires_in": TOKEN_LIFETIME, "token_type": "Bearer"}


class Quota:
    """Sliding one-minute windows of reads and writes per user, as Google meters them.

    `per_minute` may change while the emulator runs (PUT /_emulator/limits); None turns quotas off.
    """

    def __init__(self, per_minute: int | None) -> None:
        self.per_minute = per_minute
        self._calls: dict[tuple[str, str], deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def charge(self, user: str, kind: str) -> None:
        """Count one call of `kind` ("read"/"write"), or raise Google's 429 when over quota."""
        limit = self.per_minute
        if limit is None:
            return
        now = time.monotonic()
        with self._lock:
            window = self._calls[(user, kind)]
            while window and window[0] <= now - 60:
                window.popleft()
            if len(window) >= limit:
                raise quota_exceeded(kind, limit)
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
