"""A failure in plain words for people: its message, else its class name, at most MAX_ERROR_LENGTH."""

from __future__ import annotations

import re

__all__ = ["MAX_ERROR_LENGTH", "describe_error"]

MAX_ERROR_LENGTH = 300


def describe_error(exc: BaseException) -> str:
    """A short plain-words description of a failure, for people (the message, else the class name)."""
    text = " ".join(str(exc).split())
    if not text:
        # RateLimited -> "rate limited"
        text = re.sub(r"(?<!^)(?=[A-Z])", " ", type(exc).__name__).lower()
    return text if len(text) <= MAX_ERROR_LENGTH else text[: MAX_ERROR_LENGTH - 1] + "…"
