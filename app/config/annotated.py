"""Annotated value types of the config models: validation plus the JSON Schema editors see."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema

from app.config.fields import (
    FIELDS,
    board_ref,
    check_field,
    check_max_deletes,
    check_slug,
    parse_duration,
    spreadsheet_ref,
)

_FIELD_PATTERN = "^(" + "|".join(FIELDS) + ")$|^custom:.+$"

FieldName = Annotated[
    str,
    BeforeValidator(check_field),
    WithJsonSchema({"type": "string", "pattern": _FIELD_PATTERN, "examples": [*FIELDS, "custom:Channel"]}),
]
Duration = Annotated[
    timedelta,
    BeforeValidator(parse_duration),
    WithJsonSchema({"type": "string", "pattern": r"^\s*\d+(\.\d+)?\s*(s|m|h)\s*$", "examples": ["5m"]}),
]
MaxDeletes = Annotated[
    int | str,
    BeforeValidator(check_max_deletes),
    WithJsonSchema({"anyOf": [{"type": "integer", "minimum": 0}, {"type": "string", "pattern": r"^\d+%$"}]}),
]
Name = Annotated[str, Field(min_length=1)]


Slug = Annotated[str, AfterValidator(check_slug)]
BoardRef = Annotated[str, AfterValidator(board_ref)]
SpreadsheetRef = Annotated[str, AfterValidator(spreadsheet_ref)]
