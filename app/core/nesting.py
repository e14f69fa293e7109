"""How deeply a JSON text nests, found without parsing it, in time linear in its length.

Python's json parser recurses once per nested array or object: a signed body of 100,000 `[` answers a
RecursionError (a 500) or worse. Measuring the depth first, and refusing anything deeper than any real
webhook, keeps such a body from reaching the parser.
"""

from __future__ import annotations

import re

__all__ = ["exceeds_depth"]

# Only these bytes matter for nesting; everything else is skipped at C speed by the regex.
_SPECIAL = re.compile(rb'["\\\[\]{}]')
_OPEN = frozenset(b"[{")
_CLOSE = frozenset(b"]}")
_QUOTE, _BACKSLASH = ord('"'), ord("\\")


def exceeds_depth(text: bytes, limit: int) -> bool:
    """True when arrays and objects in `text` (JSON, valid or not) nest more than `limit` deep.

    Brackets inside strings do not count; a backslash inside a string escapes the byte after it. Stops
    at the first bracket past the limit; a text with no more than `limit` opening brackets is never
    scanned.
    """
    if text.count(b"[") + text.count(b"{") <= limit:
        return False
    depth, in_string, escaped_at = 0, False, -1
    for match in _SPECIAL.finditer(text):
        at, byte = match.start(), text[match.start()]
        if in_string:
            if at == escaped_at:
                continue
            if byte == _BACKSLASH:
                escaped_at = at + 1
            elif byte == _QUOTE:
                in_string = False
        elif byte == _QUOTE:
            in_string = True
        elif byte in _OPEN:
            depth += 1
            if depth > limit:
                return True
        elif byte in _CLOSE:
            depth -= 1
    return False
