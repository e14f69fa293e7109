"""Shared pieces of batchUpdate handlers: the context, request errors, ranges and update masks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from connectors.emulators.sheets import a1
from connectors.emulators.sheets.cow import clone
from connectors.emulators.sheets.get import FieldTree, parse_fields
from connectors.emulators.sheets.state import Json, Sheet, SheetsState, Spreadsheet


class RequestError(Exception):
    """One batchUpdate request is invalid; the dispatcher prefixes `Invalid requests[i].<kind>: `."""


@dataclass
class Context:
    """What a handler works on: a deep copy of the spreadsheet, the emulator state (for ids), the caller."""

    book: Spreadsheet
    state: SheetsState
    user_email: str = ""
    # Developer metadata ids in use -> (sheetId, ROWS|COLUMNS, index) of row/column ones, once needed.
    metadata_ids: dict[int, tuple[int, str, int] | None] | None = None


Handler = Callable[[Context, Json], Json]


def sheet_of(ctx: Context, sheet_id: Any) -> Sheet:
    """The tab with this id (a missing sheetId means 0), or Google's 'No grid with id' error."""
    sheet = ctx.book.sheet_by_id(int(sheet_id or 0))
    if sheet is None:
        raise RequestError(f"No grid with id: {int(sheet_id or 0)}")
    return sheet


def grid_range(ctx: Context, rng: Json) -> tuple[Sheet, a1.Bounds]:
    """Resolve a GridRange (open ends reach the grid's edge) and check it fits the grid."""
    sheet = sheet_of(ctx, rng.get("sheetId"))
    bounds = a1.Bounds(
        int(rng.get("startRowIndex", 0)),
        int(rng.get("startColumnIndex", 0)),
        int(rng.get("endRowIndex", sheet.row_count)),
        int(rng.get("endColumnIndex", sheet.col_count)),
    )
    if bounds.start_row < 0 or bounds.start_col < 0 or bounds.rows < 0 or bounds.cols < 0:
        raise RequestError("Invalid range: negative or reversed indexes.")
    if bounds.end_row > sheet.row_count:
        raise RequestError(
            f"Range ({a1.format_bounds(sheet.title, bounds)}) exceeds grid limits. "
            f"Max rows: {sheet.row_count}, max columns: {sheet.col_count}"
        )
    if bounds.end_col > sheet.col_count:
        raise RequestError(
            f"Range ({a1.format_bounds(sheet.title, bounds)}) exceeds grid limits. "
            f"Max rows: {sheet.row_count}, max columns: {sheet.col_count}"
        )
    return sheet, bounds


def dimension_range(ctx: Context, rng: Json) -> tuple[Sheet, str, int, int]:
    """Resolve a DimensionRange to (sheet, ROWS|COLUMNS, start, end) within the grid."""
    sheet = sheet_of(ctx, rng.get("sheetId"))
    dimension = rng.get("dimension")
    if dimension not in ("ROWS", "COLUMNS"):
        raise RequestError("range.dimension must be ROWS or COLUMNS.")
    size = sheet.row_count if dimension == "ROWS" else sheet.col_count
    start, end = int(rng.get("startIndex", 0)), int(rng.get("endIndex", size))
    if not 0 <= start < end:
        raise RequestError(f"Invalid dimension range: [{start}, {end}).")
    if end > size:
        raise RequestError(f"Cannot use index {end} beyond the last {dimension.lower()[:-1]} index {size}.")
    return sheet, dimension, start, end


def output_range(rng: Json) -> Json:
    """A GridRange as Google echoes it: sheetId 0 is left out (protobuf default)."""
    out = {k: v for k, v in rng.items() if v is not None}
    if not out.get("sheetId"):
        out.pop("sheetId", None)
    return out


def required_fields(request: Json) -> FieldTree:
    """The request's `fields` mask, which Google requires for update requests."""
    text = request.get("fields")
    if not text:
        raise RequestError("At least one field must be specified in 'fields'.")
    return parse_fields(str(text))


_COLOUR_KEYS = {"red", "green", "blue", "alpha"}


def _is_colour(value: Any) -> bool:
    return isinstance(value, dict) and bool(value) and set(value) <= _COLOUR_KEYS


def clean(value: Any, drop_false: bool = False) -> Any:
    """Store a value as protobuf serialises it: no nulls, no zero colour parts, no objects left empty.

    A colour of all zeros (black) stays as `{}`; `drop_false` also drops false flags (sheet properties).
    """
    if isinstance(value, dict):
        colour = _is_colour(value)
        out = {}
        for key, item in value.items():
            cleaned = clean(item, drop_false)
            dropped_empty = cleaned == {} and not _is_colour(item)
            if (
                cleaned is None
                or dropped_empty
                or (colour and cleaned == 0)
                or (drop_false and cleaned is False)
            ):
                continue
            out[key] = cleaned
        return out
    if isinstance(value, list):
        return [clean(item, drop_false) for item in value]
    return value


def merge_masked(target: Json, source: Json, tree: FieldTree | None) -> Json:
    """Copy the masked fields from source into target (absent in source = cleared); `*` copies all."""
    if tree is None or "*" in tree:
        return clone(source)
    for key, sub in tree.items():
        if sub is None:
            if source.get(key) is not None:
                target[key] = clone(source[key])
            else:
                target.pop(key, None)
        else:
            child = target.get(key) if isinstance(target.get(key), dict) else {}
            merged = merge_masked(dict(child or {}), source.get(key) or {}, sub)
            if merged:
                target[key] = merged
            else:
                target.pop(key, None)
    return target


def new_id(ctx: Context, taken: set[int]) -> int:
    """A random positive int32 id not yet in `taken`."""
    while True:
        candidate = ctx.state.random.randrange(1, 2**31 - 1)
        if candidate not in taken:
            return candidate
