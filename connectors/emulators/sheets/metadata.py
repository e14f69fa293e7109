"""Developer metadata: where it lives, create/delete requests, and developerMetadata.search."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from connectors.emulators.sheets.batch.base import Context, Handler, RequestError, sheet_of
from connectors.emulators.sheets.errors import bad_request
from connectors.emulators.sheets.get import metadata_json
from connectors.emulators.sheets.state import Json, Spreadsheet, peek

_VISIBILITIES = ("DOCUMENT", "PROJECT")
Where = tuple[int, str, int] | None  # row or column metadata: (sheetId, ROWS or COLUMNS, index); else None


def every(book: Spreadsheet) -> Iterator[tuple[Json, list[Json]]]:
    """Each metadata as the API shows it (location included) with the list that stores it."""
    yield from _placed(book)
    for sheet in book.sheets:
        for dimension, metas in (("ROWS", sheet.row_meta), ("COLUMNS", sheet.col_meta)):
            for index, meta in enumerate(metas):
                for md in meta.get("developerMetadata", []):
                    yield metadata_json(md, sheet.sheet_id, dimension, index), meta["developerMetadata"]


def _placed(book: Spreadsheet) -> Iterator[tuple[Json, list[Json]]]:
    """The spreadsheet's and its sheets' own metadata (not on a row or column)."""
    for md in book.developer_metadata:
        yield (
            {**md, "location": {"locationType": "SPREADSHEET", "spreadsheet": True}},
            book.developer_metadata,
        )
    for sheet in book.sheets:
        for md in sheet.developer_metadata:
            yield (
                {**md, "location": {"locationType": "SHEET", "sheetId": sheet.sheet_id}},
                sheet.developer_metadata,
            )


def _index(ctx: Context) -> dict[int, Where]:
    """Every metadata id in use, with where row and column metadata sit: gathered once per batch (a batch
    may create or check thousands), without copying a row (cow.py); `_with_id` re-gathers after rows moved."""
    if ctx.metadata_ids is None:
        ctx.metadata_ids = _scan(ctx.book)
    return ctx.metadata_ids


def _scan(book: Spreadsheet) -> dict[int, Where]:
    found: dict[int, Where] = {md["metadataId"]: None for md in book.developer_metadata}
    for sheet in book.sheets:
        found.update((md["metadataId"], None) for md in sheet.developer_metadata)
        for dimension, metas in (("ROWS", sheet.row_meta), ("COLUMNS", sheet.col_meta)):
            for index in range(len(metas)):
                for md in peek(metas, index).get("developerMetadata") or ():
                    found[md["metadataId"]] = (sheet.sheet_id, dimension, index)
    return found


def create(ctx: Context, request: Json) -> Json:
    """Attach metadata to the spreadsheet, a sheet, or a row/column (it then moves with that row/column).

    An id already in use is refused, as ids are "spreadsheet-scoped unique" (DeveloperMetadata reference).
    """
    given = copy.deepcopy(request.get("developerMetadata") or {})
    if not given.get("metadataKey"):
        raise RequestError("metadataKey is required.")
    visibility = given.get("visibility") or "DOCUMENT"
    if visibility not in _VISIBILITIES:
        raise RequestError("visibility must be DOCUMENT or PROJECT.")
    taken = _index(ctx)
    metadata_id = int(given.get("metadataId") or 0)
    if metadata_id in taken:
        raise RequestError(f"Developer metadata with id {metadata_id} already exists.")
    while not metadata_id or metadata_id in taken:
        metadata_id = ctx.state.new_metadata_id()
    stored: Json = {"metadataId": metadata_id, "metadataKey": given["metadataKey"]}
    if given.get("metadataValue") is not None:
        stored["metadataValue"] = given["metadataValue"]
    stored["visibility"] = visibility
    shown = _attach(ctx, given.get("location") or {}, stored)
    rng = shown["location"].get("dimensionRange")
    taken[metadata_id] = (rng["sheetId"], rng["dimension"], rng["startIndex"]) if rng else None
    return {"createDeveloperMetadata": {"developerMetadata": shown}}


def _attach(ctx: Context, location: Json, stored: Json) -> Json:
    """Store the metadata where `location` says; returns it as the API shows it."""
    if location.get("spreadsheet"):
        ctx.book.developer_metadata.append(stored)
        return {**stored, "location": {"locationType": "SPREADSHEET", "spreadsheet": True}}
    if location.get("dimensionRange"):
        rng = location["dimensionRange"]
        sheet = sheet_of(ctx, rng.get("sheetId"))
        dimension = rng.get("dimension")
        metas = sheet.row_meta if dimension == "ROWS" else sheet.col_meta if dimension == "COLUMNS" else None
        start, end = int(rng.get("startIndex", 0)), int(rng.get("endIndex", 0))
        if metas is None or not 0 <= start < end <= len(metas):
            raise RequestError("Invalid dimensionRange for developer metadata.")
        if end - start != 1:
            raise RequestError("The emulator supports developer metadata on a single row or column only.")
        metas[start].setdefault("developerMetadata", []).append(stored)
        return metadata_json(stored, sheet.sheet_id, str(dimension), start)
    if location.get("sheetId") is not None:
        sheet = sheet_of(ctx, location["sheetId"])
        sheet.developer_metadata.append(stored)
        return {**stored, "location": {"locationType": "SHEET", "sheetId": sheet.sheet_id}}
    raise RequestError("A location (spreadsheet, sheetId or dimensionRange) is required.")


def matches(md: Json, lookup: Json) -> bool:
    """Whether one metadata (with location) fits a DeveloperMetadataLookup (exact matching)."""
    location = md["location"]
    checks: list[tuple[Any, Any]] = [
        (lookup.get("metadataId"), md["metadataId"]),
        (lookup.get("metadataKey"), md["metadataKey"]),
        (lookup.get("metadataValue"), md.get("metadataValue")),
        (lookup.get("visibility"), md["visibility"]),
        (lookup.get("locationType"), location["locationType"]),
    ]
    for wanted, actual in checks:
        if wanted is not None and str(wanted) != str(actual):
            return False
    wanted_location = lookup.get("metadataLocation")
    return not wanted_location or all(location.get(k) == v for k, v in wanted_location.items())


def _with_id(ctx: Context, metadata_id: int) -> Iterator[tuple[Json, list[Json]]]:
    """The metadata with this id, if any, found through the batch's index (`_index`), not by a scan."""
    index = _index(ctx)
    if metadata_id not in index:
        return  # only createDeveloperMetadata adds metadata, and it notes each in the index
    found = _at(ctx.book, index[metadata_id], metadata_id)
    if found is None and index[metadata_id] is not None:  # rows moved (or went) since the index was made
        ctx.metadata_ids = index = _scan(ctx.book)
        found = _at(ctx.book, index.get(metadata_id), metadata_id) if metadata_id in index else None
    if found is not None:
        yield found
        return
    for md, holder in _placed(ctx.book):  # spreadsheet- and sheet-level metadata
        if md["metadataId"] == metadata_id:
            yield md, holder
            return


def _at(book: Spreadsheet, where: Where, metadata_id: int) -> tuple[Json, list[Json]] | None:
    """The row or column metadata with this id at `where`, if it is still there."""
    sheet = book.sheet_by_id(where[0]) if where is not None else None
    if where is None or sheet is None:
        return None
    _, dimension, position = where
    metas = sheet.row_meta if dimension == "ROWS" else sheet.col_meta
    seen = (peek(metas, position).get("developerMetadata") or ()) if position < len(metas) else ()
    if not any(md["metadataId"] == metadata_id for md in seen):
        return None
    items = metas[position]["developerMetadata"]  # reached: the working copy's own, to change (cow.py)
    found = next(md for md in items if md["metadataId"] == metadata_id)
    return metadata_json(found, sheet.sheet_id, dimension, position), items


def delete(ctx: Context, request: Json) -> Json:
    """Delete every metadata matching a data filter's lookup; replies with what was deleted."""
    lookup = (request.get("dataFilter") or {}).get("developerMetadataLookup")
    if not lookup:
        raise RequestError("dataFilter.developerMetadataLookup is required.")
    deleted = []
    candidates = _with_id(ctx, int(lookup["metadataId"])) if lookup.get("metadataId") else every(ctx.book)
    for md, holder in list(candidates):
        if matches(md, lookup):
            holder[:] = [item for item in holder if item["metadataId"] != md["metadataId"]]
            deleted.append(md)
            if ctx.metadata_ids is not None:
                ctx.metadata_ids.pop(md["metadataId"], None)
    return {"deleteDeveloperMetadata": {"deletedDeveloperMetadata": deleted}}


def search(book: Spreadsheet, body: Json) -> Json:
    """developerMetadata.search: metadata matching any of the lookups, each with the filters it matched."""
    found: dict[int, Json] = {}
    for data_filter in body.get("dataFilters") or []:
        lookup = data_filter.get("developerMetadataLookup")
        if lookup is None:
            raise bad_request("Only developerMetadataLookup data filters are emulated.")
        for md, _ in every(book):
            if matches(md, lookup):
                entry = found.setdefault(md["metadataId"], {"developerMetadata": md, "dataFilters": []})
                entry["dataFilters"].append(data_filter)
    return {"matchedDeveloperMetadata": list(found.values())} if found else {}


HANDLERS: dict[str, Handler] = {
    "createDeveloperMetadata": create,
    "deleteDeveloperMetadata": delete,
}
