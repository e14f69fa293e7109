"""Trello webhook signatures: the documented vector and every way a signature can be wrong."""

from __future__ import annotations

import pytest

from app.web.signature import sign, verify

SECRET = "test-app-secret"
CALLBACK = "https://example.com/trello/webhook"
BODY = b'{"action":{"type":"createCard"}}'
EXPECTED = "V5CYSZ5Q2tVNC0bfW0qEXMJjCJA="


def test_sign_matches_the_known_vector() -> None:
    assert sign(SECRET, BODY, CALLBACK) == EXPECTED


def test_verify_accepts_the_right_signature() -> None:
    assert verify(SECRET, BODY, CALLBACK, EXPECTED)


@pytest.mark.parametrize(
    ("secret", "body", "callback", "header"),
    [
        ("other-secret", BODY, CALLBACK, EXPECTED),
        (SECRET, BODY + b" ", CALLBACK, EXPECTED),
        (SECRET, BODY, CALLBACK + "/", EXPECTED),
        (SECRET, BODY, "http://example.com/trello/webhook", EXPECTED),
        (SECRET, BODY, CALLBACK, EXPECTED.lower()),
        (SECRET, BODY, CALLBACK, ""),
        (SECRET, BODY, CALLBACK, None),
        (SECRET, BODY, CALLBACK, "é" + EXPECTED[1:]),
        ("", BODY, CALLBACK, sign("", BODY, CALLBACK)),
    ],
)
def test_verify_rejects_any_mismatch(secret: str, body: bytes, callback: str, header: str | None) -> None:
    assert not verify(secret, body, callback, header)


def test_signature_covers_raw_bytes_not_reencoded_json() -> None:
    spaced = b'{ "action": { "type": "createCard" } }'
    assert not verify(SECRET, spaced, CALLBACK, EXPECTED)
    assert verify(SECRET, spaced, CALLBACK, sign(SECRET, spaced, CALLBACK))
