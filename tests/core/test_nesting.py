"""JSON nesting measured without parsing: strings and escapes respected, deep texts stopped early."""

from __future__ import annotations

import json

import pytest

from app.core.nesting import exceeds_depth


@pytest.mark.parametrize(
    ("text", "limit", "deeper"),
    [
        (b"[" * 3 + b"]" * 3, 3, False),
        (b"[" * 4 + b"]" * 4, 3, True),
        (b'{"a": {"b": [1]}}', 3, False),
        (b'{"a": {"b": [[1]]}}', 3, True),
        (b'["[[[[[[", "{{{{{{"]', 1, False),  # brackets inside strings
        (b'["\\"[[[[", "x"]', 1, False),  # an escaped quote does not end the string
        (b'["\\\\", [[[1]]]]', 1, True),  # an escaped backslash does: the brackets after it count
        (b"[]" * 1000, 1, False),  # wide, not deep
        (b"[" * 100_000, 64, True),  # unbalanced and deep: still refused
        (b'"' + b"[" * 100_000, 64, False),  # all inside one (unterminated) string
    ],
)
def test_depth(text: bytes, limit: int, deeper: bool) -> None:
    assert exceeds_depth(text, limit) is deeper


def test_the_depth_agrees_with_the_parser_on_real_documents() -> None:
    document = {"action": {"data": {"card": {"labels": [{"name": "[x]"}]}}}, "model": {"id": "b"}}
    text = json.dumps(document).encode()
    # The document, action, data, card, the labels list and a label: six levels.
    assert not exceeds_depth(text, 6)
    assert exceeds_depth(text, 5)
