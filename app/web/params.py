"""Path parameters, validated before any route reaches the runtime or the store (404 in the one shape).

A pair name must look like one (the YAML's own rule, app.config.fields.check_slug) and a plan id must be
plain digits: anything else never becomes a database query, a log line or part of an answer. A value no
resource could have names nothing, so it is the same 404 as a well-formed unknown one (RFC 9110 15.5.5),
in plain words (`NOT_FOUND`), never the validator's pattern.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Path

from app.config.fields import SLUG_PATTERN

__all__ = ["MAX_PAIR_NAME", "NOT_FOUND", "PairName", "PlanId", "is_pair_name", "not_found", "plan_number"]

MAX_PAIR_NAME = 200  # the store's column width (run_leases.pair and its siblings: String(200))

PairName = Annotated[
    str,
    Path(
        pattern=SLUG_PATTERN,
        max_length=MAX_PAIR_NAME,
        description="a configured pair's name: lowercase letters, digits, '-' or '_'",
    ),
]
# Plain digits, at most 40: "-1", "1_0", " 1", "+1" or "1e3" are refused rather than read as numbers; an
# id out of the store's range is then a plain 404 (no plan has it), never a database error.
PlanId = Annotated[
    str, Path(pattern=r"^[0-9]{1,40}$", description="a held plan's id, as `boardsheet status` lists it")
]


# Per path parameter: the 404's code and message when its value could name nothing.
NOT_FOUND = {
    "pair": (
        "unknown_pair",
        "no pair has that name (a pair name is lowercase letters, digits, '-' or '_', "
        f"at most {MAX_PAIR_NAME} characters)",
    ),
    "plan_id": (
        "unknown_plan",
        "no held plan has that id (plan ids are plain digits, as `boardsheet status` lists them)",
    ),
}


def not_found(parameter: str) -> tuple[str, str]:
    """The 404 (code, message) for a malformed `parameter`; a parameter not listed gets a generic one."""
    return NOT_FOUND.get(parameter, ("not_found", f"nothing has that {parameter.replace('_', ' ')}"))


def is_pair_name(value: str) -> bool:
    """Whether `value` could name a pair (for routes that answer 404, not 422, to anything else)."""
    return len(value) <= MAX_PAIR_NAME and re.fullmatch(SLUG_PATTERN, value) is not None


def plan_number(plan_id: str) -> int:
    """A PlanId's number (already checked by its pattern)."""
    return int(plan_id)
