"""Every problem a validator finds, raised at once: pydantic takes one error per validator call.

A validator that checks several things collects each failed check's `PydanticCustomError` and raises them
together as one "several" error; `problems_from_validation` expands it back into one problem each, so a
wrong `approval.column` does not hide a wrong `sort_by` until it is fixed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from pydantic_core import PydanticCustomError

SEVERAL = "several"


def caught(check: Callable[[], None]) -> list[PydanticCustomError]:
    """The error `check` raises, as a list (empty when it passes)."""
    try:
        check()
    except PydanticCustomError as error:
        return expanded(error)
    return []


def expanded(error: PydanticCustomError) -> list[PydanticCustomError]:
    """The errors a "several" error carries, or the error itself."""
    if error.type == SEVERAL and error.context is not None:
        return list(error.context["errors"])
    return [error]


def raise_all(errors: Iterable[PydanticCustomError]) -> None:
    """Raise nothing, the one error, or every error as one "several" error."""
    found = list(errors)
    if len(found) == 1:
        raise found[0]
    if found:
        raise PydanticCustomError(SEVERAL, "{count} problems", {"count": len(found), "errors": found})


def check_all(*checks: Callable[[], None]) -> None:
    """Run every check; raise what all of them found (see `raise_all`)."""
    raise_all(error for check in checks for error in caught(check))
