"""Trello webhook signatures: base64(HMAC-SHA1(app secret, raw body + callback URL))."""

from __future__ import annotations

import base64
import hashlib
import hmac

__all__ = ["sign", "verify"]


def sign(secret: str, body: bytes, callback_url: str) -> str:
    """The `X-Trello-Webhook` header Trello sends for `body` posted to `callback_url`."""
    digest = hmac.new(secret.encode(), body + callback_url.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def verify(secret: str, body: bytes, callback_url: str, header: str | None) -> bool:
    """True when `header` is the signature of `body` for `callback_url`, compared in constant time."""
    if not header or not secret:
        return False
    expected = sign(secret, body, callback_url)
    # compare_digest on bytes so non-ASCII junk in the header cannot raise.
    return hmac.compare_digest(expected.encode("ascii"), header.encode("utf-8", "replace"))
