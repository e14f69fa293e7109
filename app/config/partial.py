"""Cross-field checks that still run when some fields are invalid, so one report holds every problem.

pydantic runs a model's after-validators only once every field is valid: a misspelt `approval.column`
would show only after `archived: hide` is fixed. `validated_then_checked` is the body of a wrap
validator: when the fields fail, it drops the failing values (their defaults stand in), validates the
rest, runs each check that reads none of the failing paths, and raises the fields' errors and the
checks' together.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError, ValidatorFunctionWrapHandler
from pydantic_core import InitErrorDetails, PydanticCustomError

from app.config.several import caught, check_all

__all__ = ["Check", "merged", "validated_then_checked"]

M = TypeVar("M", bound=BaseModel)
Path = tuple[str | int, ...]
# The paths (from the model) a check reads, and the check: a failing value under one of them skips it.
Check = tuple[tuple[Path, ...], Callable[[Any], None]]


def validated_then_checked(
    model: type[M], data: Any, handler: ValidatorFunctionWrapHandler, checks: Sequence[Check]
) -> M:
    """The validated model after every check passed; else every field error and every check's error."""
    try:
        valid: M = handler(data)
    except ValidationError as exc:
        raise _with_checks(model, data, handler, exc, checks) from None
    check_all(*(_bound(check, valid) for _, check in checks))
    return valid


def _with_checks(
    model: type[M],
    data: Any,
    handler: ValidatorFunctionWrapHandler,
    exc: ValidationError,
    checks: Sequence[Check],
) -> ValidationError:
    """`exc`'s errors plus those of the checks reading only valid paths, as one error."""
    broken: list[Path] = [tuple(error["loc"]) for error in exc.errors()]
    stand_in = _stand_in(model, data, handler, broken)
    found: list[PydanticCustomError] = []
    if stand_in is not None:
        for reads, check in checks:
            if any(_overlap(path, bad) for path in reads for bad in broken):
                continue
            try:
                found += caught(_bound(check, stand_in))
            except AttributeError:
                continue  # it reads a value no default stood in for: the field's own error says why
    return merged(model, data, exc, found)


def merged(
    model: type[BaseModel], data: Any, exc: ValidationError, found: Sequence[PydanticCustomError]
) -> ValidationError:
    """One error holding `exc`'s errors (where they were) and `found` (at the model, located by `at`)."""
    kept = [
        InitErrorDetails(
            type=PydanticCustomError(error["type"], error["msg"], error.get("ctx")),
            loc=tuple(error["loc"]),
            input=error["input"],
        )
        for error in exc.errors()
    ]
    kept += [InitErrorDetails(type=error, loc=(), input=data) for error in found]
    return ValidationError.from_exception_data(model.__name__, kept)


def _stand_in(
    model: type[M], data: Any, handler: Callable[[Any], M], broken: list[Path], at: Path = ()
) -> M | None:
    """The model with the failing values dropped (defaults in their place), else built from the fields
    that validate alone (a failing one joins `broken`); None when the input is no mapping."""
    if not isinstance(data, dict):
        return None
    rest = _without(data, [path[len(at) :] for path in broken if path[: len(at)] == at])
    try:
        return handler(rest)
    except ValidationError:
        pass  # a required value failed: build what validates, field by field
    values: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        if name not in rest:
            continue
        inner = field.annotation
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            part = _stand_in(inner, rest[name], inner.model_validate, broken, (*at, name))
            if part is not None:
                values[name] = part
            continue
        try:
            adapter: TypeAdapter[Any] = TypeAdapter(Annotated[inner, field])  # type: ignore[arg-type]
            values[name] = adapter.validate_python(rest[name])
        except ValidationError:
            broken.append((*at, name))
    return model.model_construct(**values)


def _without(data: dict[str, Any], paths: list[Path]) -> dict[str, Any]:
    """A copy of `data` without the values at `paths` (list items last first, so indexes hold)."""
    rest = copy.deepcopy(data)
    for path in sorted(paths, key=lambda p: [(isinstance(part, int), part) for part in p], reverse=True):
        if not path:
            continue
        parent: Any = rest
        for part in path[:-1]:
            parent = _child(parent, part)
        if _child(parent, path[-1]) is not None:
            del parent[path[-1]]
    return rest


def _child(container: Any, part: str | int) -> Any:
    """`container[part]` when there is one, else None."""
    if isinstance(container, dict):
        return container.get(part)
    if isinstance(container, list) and isinstance(part, int) and 0 <= part < len(container):
        return container[part]
    return None


def _overlap(read: Path, bad: Path) -> bool:
    """Whether a check reading `read` sees the failing value at `bad` (one path holds the other)."""
    size = min(len(read), len(bad))
    return read[:size] == bad[:size]


def _bound(check: Callable[[Any], None], model: Any) -> Callable[[], None]:
    """`check` on `model`, to run later."""
    return lambda: check(model)
