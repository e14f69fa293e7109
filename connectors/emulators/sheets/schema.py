"""Request bodies checked against the Sheets v4 discovery document google-api-python-client ships."""

from __future__ import annotations

import functools
import json
import re
from importlib import resources
from typing import Any

from connectors.emulators.sheets.errors import ApiError

Json = dict[str, Any]

_INT_RANGES = {"int32": (-(2**31), 2**31 - 1), "uint32": (0, 2**32 - 1)}


@functools.cache
def discovery() -> Json:
    """The bundled sheets.v4 discovery document."""
    path = resources.files("googleapiclient") / "discovery_cache" / "documents" / "sheets.v4.json"
    return dict(json.loads(path.read_text(encoding="utf-8")))


def schemas() -> Json:
    """The discovery document's schemas by id."""
    return dict(discovery()["schemas"])


def snake(name: str) -> str:
    """camelCase -> snake_case, as Google names fields in error paths."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def invalid_payload(message: str, path: str) -> ApiError:
    """A 400 with Google's 'Invalid JSON payload received.' prefix."""
    return ApiError(400, f"Invalid JSON payload received. {message}", "INVALID_ARGUMENT", path)


def validate(body: Any, ref: str, root: str = "") -> None:
    """Raise Google's 400 when `body` does not fit the discovery schema `ref` (named `root` in paths)."""
    _check(body, {"$ref": ref}, root)


def _where(path: str) -> str:
    return f" at '{path}'" if path else ""


def _check(value: Any, schema: Json, path: str) -> None:
    if "$ref" in schema:
        schema = schemas()[schema["$ref"]]
    kind = schema.get("type")
    if kind == "object" and "properties" in schema:
        _check_object(value, schema, path)
    elif kind == "object" and "additionalProperties" in schema:
        if not isinstance(value, dict):
            raise _bad_value(value, "type.googleapis.com/google.protobuf.Struct", path)
        for key, item in value.items():
            _check(item, schema["additionalProperties"], f"{path}[{key}]")
    elif kind == "array":
        if not isinstance(value, list):
            raise _bad_value(value, "type.googleapis.com/google.protobuf.ListValue", path)
        for index, item in enumerate(value):
            _check(item, schema.get("items", {}), f"{path}[{index}]")
    else:
        _check_scalar(value, schema, path)


def _check_object(value: Any, schema: Json, path: str) -> None:
    if not isinstance(value, dict):
        raise _bad_value(value, "type.googleapis.com/google.protobuf.Struct", path)
    properties = schema["properties"]
    for key, item in value.items():
        if key not in properties:
            raise invalid_payload(f'Unknown name "{key}"{_where(path)}: Cannot find field.', path)
        if item is None:
            continue
        child = f"{path}.{snake(key)}" if path else snake(key)
        _check(item, properties[key], child)


def _bad_value(value: Any, type_name: str, path: str) -> ApiError:
    """Google's wording for a value of the wrong type (no payload prefix, one field violation)."""
    message = f"Invalid value{_where(path)} ({type_name}), {json.dumps(value, ensure_ascii=False)}"
    return ApiError(400, message, "INVALID_ARGUMENT", path)


def _check_scalar(value: Any, schema: Json, path: str) -> None:
    kind = schema.get("type")
    if kind == "string" and "enum" in schema:
        if value not in schema["enum"]:
            raise _bad_value(value, "TYPE_ENUM", path)
    elif kind == "string":
        # int64 and byte fields arrive as strings but JSON numbers are accepted for them too.
        if not isinstance(value, str) and not (schema.get("format") == "int64" and _is_int(value)):
            raise _bad_value(value, "TYPE_STRING", path)
    elif kind == "integer":
        low, high = _INT_RANGES.get(str(schema.get("format")), (-(2**63), 2**63 - 1))
        number = _as_int(value)
        if number is None or not low <= number <= high:
            raise _bad_value(value, "TYPE_INT32", path)
    elif kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise _bad_value(value, "TYPE_DOUBLE", path)
    elif kind == "boolean" and not isinstance(value, bool):
        raise _bad_value(value, "TYPE_BOOL", path)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _as_int(value: Any) -> int | None:
    """Integers may arrive as JSON numbers or numeric strings, as protobuf JSON allows."""
    if _is_int(value):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value):
        return int(value)
    return None
