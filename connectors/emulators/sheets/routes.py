"""Routing of /v4/spreadsheets requests (parsed from the raw path, so ranges with `/` or `:` survive)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from connectors.emulators.sheets import metadata as sheets_metadata
from connectors.emulators.sheets import values as sheets_values
from connectors.emulators.sheets.auth import Identity
from connectors.emulators.sheets.batch import apply as sheets_batch
from connectors.emulators.sheets.cow import seal, working_copy
from connectors.emulators.sheets.errors import ApiError, bad_request
from connectors.emulators.sheets.get import spreadsheet_json
from connectors.emulators.sheets.schema import snake, validate
from connectors.emulators.sheets.state import Json, SheetsState

PREFIX = "/v4/spreadsheets"


@dataclass
class Call:
    """One API call: method, the decoded path parts, query parameters and the JSON body."""

    method: str
    spreadsheet_id: str
    rest: str
    params: dict[str, list[str]]
    body: Any
    user: Identity | None = None

    @property
    def email(self) -> str:
        """The caller's e-mail ("" for in-process calls)."""
        return self.user.email if self.user is not None else ""

    def param(self, name: str, default: str | None = None) -> str | None:
        """The first value of a query parameter."""
        values = self.params.get(name)
        return values[0] if values else default

    def flag(self, name: str) -> bool:
        """A boolean query parameter (`true`, `True`, `1`)."""
        return (self.param(name) or "").lower() in ("true", "1")

    def json(self, ref: str, root: str = "") -> Json:
        """The body as the API reads it (checked against a discovery schema, numbers as numbers)."""
        body = self.body if self.body is not None else {}
        return dict(validate(body, ref, root))


def is_write(call: Call) -> bool:
    """Whether the call counts against the write quota (everything that is not a read)."""
    reads = ("values:batchGet", "developerMetadata:search", ":getByDataFilter")
    return call.method != "GET" and not any(call.rest.endswith(r) for r in reads)


def split(raw_path: str) -> tuple[str, str]:
    """`/v4/spreadsheets/ID/values/R:append` -> ("ID", "/values/R:append"), still percent-encoded."""
    tail = raw_path[len(PREFIX) :]
    match = re.match(r"^/([^/:]+)(.*)$", tail)
    if not match:
        return "", tail
    return unquote(match.group(1)), match.group(2)


_OPTIONS = {
    "majorDimension": ("ROWS", "COLUMNS"),
    "valueRenderOption": ("FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA"),
    "dateTimeRenderOption": ("SERIAL_NUMBER", "FORMATTED_STRING"),
}


def _value_options(call: Call) -> tuple[str, str, str]:
    """majorDimension, valueRenderOption, dateTimeRenderOption (defaults as Google's); 400 when unknown."""
    chosen = []
    for name, allowed in _OPTIONS.items():
        value = call.param(name) or allowed[0]
        if value not in allowed:
            raise bad_request(f"Invalid value at '{snake(name)}' (TYPE_ENUM), \"{value}\"")
        chosen.append(value)
    return chosen[0], chosen[1], chosen[2]


def _values_get(state: SheetsState, call: Call, rng: str) -> Json:
    return sheets_values.read_range(state.get(call.spreadsheet_id), rng, *_value_options(call))


def _values_update(state: SheetsState, call: Call, rng: str) -> Json:
    parse = sheets_values.input_option(call.param("valueInputOption"))
    body = call.json("ValueRange", "data")
    out = sheets_values.write_range(state.get(call.spreadsheet_id), rng, body, parse)
    if call.flag("includeValuesInResponse"):
        out["updatedData"] = _values_get(state, call, out["updatedRange"])
    return out


def _values_append(state: SheetsState, call: Call, rng: str) -> Json:
    parse = sheets_values.input_option(call.param("valueInputOption"))
    body = call.json("ValueRange", "data")
    option = call.param("insertDataOption", "OVERWRITE")
    if option not in ("OVERWRITE", "INSERT_ROWS"):
        raise bad_request(f"Invalid value at 'insert_data_option' (TYPE_ENUM), \"{option}\"")
    return sheets_values.append(state.get(call.spreadsheet_id), rng, body, parse, option == "INSERT_ROWS")


def _values_clear(state: SheetsState, call: Call, rng: str) -> Json:
    call.json("ClearValuesRequest")
    cleared = sheets_values.clear_range(state.get(call.spreadsheet_id), rng)
    return {"spreadsheetId": call.spreadsheet_id, "clearedRange": cleared}


def _batch_get(state: SheetsState, call: Call) -> Json:
    ranges = call.params.get("ranges", [])
    book = state.get(call.spreadsheet_id)
    value_ranges = [sheets_values.read_range(book, r, *_value_options(call)) for r in ranges]
    return {"spreadsheetId": call.spreadsheet_id, "valueRanges": value_ranges}


def _batch_update_values(state: SheetsState, call: Call) -> Json:
    body = call.json("BatchUpdateValuesRequest")
    parse = sheets_values.input_option(body.get("valueInputOption"))
    book = state.get(call.spreadsheet_id)
    responses = [
        sheets_values.write_range(book, str(d.get("range", "")), d, parse) for d in body.get("data") or []
    ]
    out: Json = {"spreadsheetId": call.spreadsheet_id}
    touched = [r for r in responses if "updatedCells" in r]
    if touched:
        out["totalUpdatedRows"] = sum(r["updatedRows"] for r in touched)
        out["totalUpdatedColumns"] = sum(r["updatedColumns"] for r in touched)
        out["totalUpdatedCells"] = sum(r["updatedCells"] for r in touched)
        out["totalUpdatedSheets"] = len({r["updatedRange"].rpartition("!")[0] for r in touched})
    out["responses"] = responses
    return out


def _batch_clear(state: SheetsState, call: Call) -> Json:
    body = call.json("BatchClearValuesRequest")
    book = state.get(call.spreadsheet_id)
    cleared = [sheets_values.clear_range(book, str(r)) for r in body.get("ranges") or []]
    return {"spreadsheetId": call.spreadsheet_id, "clearedRanges": cleared}


def _get(state: SheetsState, call: Call) -> Json:
    book = state.get(call.spreadsheet_id)
    ranges = call.params.get("ranges", [])
    return spreadsheet_json(book, ranges, call.flag("includeGridData"), call.param("fields"))


def _metadata_get(state: SheetsState, call: Call, metadata_id: str) -> Json:
    for md, _ in sheets_metadata.every(state.get(call.spreadsheet_id)):
        if str(md["metadataId"]) == metadata_id:
            return md
    raise ApiError(404, f"No developer metadata with ID: {metadata_id}", "NOT_FOUND")


Route = Callable[[SheetsState, Call], Json]

_FIXED: dict[tuple[str, str], Route] = {
    ("GET", ""): _get,
    ("POST", ":batchUpdate"): lambda s, c: sheets_batch.apply(
        s, c.spreadsheet_id, c.json("BatchUpdateSpreadsheetRequest"), c.email
    ),
    ("GET", "/values:batchGet"): _batch_get,
    ("POST", "/values:batchUpdate"): _batch_update_values,
    ("POST", "/values:batchClear"): _batch_clear,
    ("POST", "/developerMetadata:search"): lambda s, c: sheets_metadata.search(
        s.get(c.spreadsheet_id), c.json("SearchDeveloperMetadataRequest")
    ),
}


_VALUES: dict[tuple[str, str | None], Callable[[SheetsState, Call, str], Json]] = {
    ("GET", None): _values_get,
    ("PUT", None): _values_update,
    ("POST", ":append"): _values_append,
    ("POST", ":clear"): _values_clear,
}


def dispatch(state: SheetsState, call: Call) -> Json:
    """Answer one API call atomically: a failing write leaves the spreadsheet as it was."""
    original = state.spreadsheets.get(call.spreadsheet_id)
    if original is None or not is_write(call) or call.rest == ":batchUpdate":  # batchUpdate copies itself
        return _route(state, call)
    working = state.spreadsheets[call.spreadsheet_id] = working_copy(original)  # rows copied when reached
    try:
        payload = _route(state, call)
    except BaseException:
        state.spreadsheets[call.spreadsheet_id] = original
        raise
    seal(working)
    return payload


def _route(state: SheetsState, call: Call) -> Json:
    """Find and run the handler of one API call (the caller holds the state lock)."""
    if not call.spreadsheet_id:
        if call.method == "POST" and call.rest == "":
            created = state.create(call.json("Spreadsheet", "spreadsheet"), owner=call.email or None)
            return spreadsheet_json(created, [], False, None)
        raise ApiError(404, "Requested entity was not found.", "NOT_FOUND")
    fixed = _FIXED.get((call.method, call.rest))
    if fixed is not None:
        return fixed(state, call)
    values = re.match(r"^/values/(.+?)(:append|:clear)?$", call.rest)
    if values:
        rng, suffix = unquote(values.group(1)), values.group(2)
        route = _VALUES.get((call.method, suffix))
        if route is not None:
            return route(state, call, rng)
    metadata = re.match(r"^/developerMetadata/(\d+)$", call.rest)
    if metadata and call.method == "GET":
        return _metadata_get(state, call, metadata.group(1))
    raise ApiError(404, "Requested entity was not found.", "NOT_FOUND")
