"""Request bodies checked against the discovery documents google-api-python-client ships.

`validate` answers the body as the API reads it: numbers sent as JSON strings become numbers, as the proto3
JSON mapping allows (https://protobuf.dev/programming-guides/json/: int32/int64/double accept strings), so
`"rowCount": "1000"` is 1000 for every handler. Sheets refuses unknown fields; Drive v3 ignores them (a v3
body with v2's `title` creates an "Untitled" file: googleworkspace/node-samples#202), so `lenient` drops them.
"""

from __future__ import annotations

import functools
import json
import math
import re
from importlib import resources
from typing import Any

from connectors.emulators.sheets.errors import ApiError

Json = dict[str, Any]

SHEETS = "sheets.v4"
DRIVE = "drive.v3"
_INT_RANGES = {"int32": (-(2**31), 2**31 - 1), "uint32": (0, 2**32 - 1)}
_SPECIAL_FLOATS = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


@functools.cache
def discovery(api: str = SHEETS) -> Json:
    """A bundled discovery document (`sheets.v4`, `drive.v3`)."""
    path = resources.files("googleapiclient") / "discovery_cache" / "documents" / f"{api}.json"
    return dict(json.loads(path.read_text(encoding="utf-8")))


def schemas(api: str = SHEETS) -> Json:
    """The discovery document's schemas by id."""
    return dict(discovery(api)["schemas"])


@functools.cache  # a few hundred field names, met once per field of every body checked
def snake(name: str) -> str:
    """camelCase -> snake_case, as Google names fields in error paths."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def invalid_payload(message: str, path: str) -> ApiError:
    """A 400 with Google's 'Invalid JSON payload received.' prefix."""
    return ApiError(400, f"Invalid JSON payload received. {message}", "INVALID_ARGUMENT", path)


def validate(body: Any, ref: str, root: str = "", *, api: str = SHEETS, lenient: bool = False) -> Any:
    """`body` as the API reads it, or Google's 400 when it does not fit the schema `ref` (named `root`).

    A body is checked without naming where each field is; only one that fails is checked again naming
    them, for the error's field path: a valid batch of 20,000 requests is not charged a path per field.
    """
    try:
        return _Checker(api, lenient, paths=False).check(body, {"$ref": ref}, root)
    except ApiError:
        return _Checker(api, lenient, paths=True).check(body, {"$ref": ref}, root)


def _where(path: str) -> str:
    return f" at '{path}'" if path else ""


class _Checker:
    """One walk over a body: checks types and enums, converts proto3 JSON strings to numbers."""

    def __init__(self, api: str, lenient: bool, *, paths: bool) -> None:
        self.schemas = schemas(api)
        self.lenient = lenient
        self.paths = paths  # False: every path is "" (validate checks again with paths on failure)

    def check(self, value: Any, schema: Json, path: str) -> Any:
        if "$ref" in schema:
            schema = self.schemas[schema["$ref"]]
        kind = schema.get("type")
        if kind == "object" and "properties" in schema:
            return self._object(value, schema, path)
        if kind == "object" and "additionalProperties" in schema:
            if not isinstance(value, dict):
                raise _bad_value(value, "type.googleapis.com/google.protobuf.Struct", path)
            inner = schema["additionalProperties"]
            return {key: self.check(item, inner, self._at(path, key)) for key, item in value.items()}
        if kind == "array":
            if not isinstance(value, list):
                raise _bad_value(value, "type.googleapis.com/google.protobuf.ListValue", path)
            items = schema.get("items", {})
            return [self.check(item, items, self._at(path, i)) for i, item in enumerate(value)]
        return _scalar(value, schema, path)

    def _at(self, path: str, key: object) -> str:
        return f"{path}[{key}]" if self.paths else ""

    def _object(self, value: Any, schema: Json, path: str) -> Json:
        if not isinstance(value, dict):
            raise _bad_value(value, "type.googleapis.com/google.protobuf.Struct", path)
        properties = schema["properties"]
        out: Json = {}
        for key, item in value.items():
            if key not in properties:
                if self.lenient:
                    continue
                raise invalid_payload(f'Unknown name "{key}"{_where(path)}: Cannot find field.', path)
            child = "" if not self.paths else f"{path}.{snake(key)}" if path else snake(key)
            out[key] = None if item is None else self.check(item, properties[key], child)
        return out


def _bad_value(value: Any, type_name: str, path: str) -> ApiError:
    """Google's wording for a value of the wrong type (no payload prefix, one field violation)."""
    message = f"Invalid value{_where(path)} ({type_name}), {json.dumps(value, ensure_ascii=False)}"
    return ApiError(400, message, "INVALID_ARGUMENT", path)


def _scalar(value: Any, schema: Json, path: str) -> Any:
    kind = schema.get("type")
    if kind == "string" and "enum" in schema:
        if value not in schema["enum"]:
            raise _bad_value(value, "TYPE_ENUM", path)
        return value
    if kind == "string":
        # int64 and byte fields arrive as strings but JSON numbers are accepted for them too.
        if not isinstance(value, str) and not (schema.get("format") == "int64" and _is_int(value)):
            raise _bad_value(value, "TYPE_STRING", path)
        return value
    if kind == "integer":
        low, high = _INT_RANGES.get(str(schema.get("format")), (-(2**63), 2**63 - 1))
        number = _as_int(value)
        if number is None or not low <= number <= high:
            raise _bad_value(value, "TYPE_INT32", path)
        return number
    if kind == "number":
        real = _as_float(value)
        if real is None:
            raise _bad_value(value, "TYPE_DOUBLE", path)
        return real
    if kind == "boolean" and not isinstance(value, bool):
        raise _bad_value(value, "TYPE_BOOL", path)
    return value


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _as_int(value: Any) -> int | None:
    """Integers may arrive as JSON numbers or numeric strings, as protobuf JSON allows."""
    if _is_int(value):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value)
    return None


def _as_float(value: Any) -> int | float | None:
    """Doubles may arrive as JSON numbers, numeric strings or "NaN"/"Infinity"/"-Infinity"."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        if value in _SPECIAL_FLOATS:
            return _SPECIAL_FLOATS[value]
        try:
            number = float(value)
        except ValueError:
            return None
        return (
            int(number) if number.is_integer() and "." not in value and "e" not in value.lower() else number
        )
    return None
