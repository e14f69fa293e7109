"""batchUpdate handlers for protected ranges and named ranges."""

from __future__ import annotations

import copy

from connectors.emulators.sheets.batch.base import (
    Context,
    Handler,
    RequestError,
    grid_range,
    merge_masked,
    new_id,
    output_range,
    required_fields,
)
from connectors.emulators.sheets.state import Json, Sheet


def _protected(ctx: Context, protected_id: int) -> tuple[Sheet, Json]:
    for sheet in ctx.book.sheets:
        for item in sheet.protected_ranges:
            if item["protectedRangeId"] == protected_id:
                return sheet, item
    raise RequestError(f"No protected range with id: {protected_id}")


def _normalise_protected(item: Json) -> Json:
    """Google's echo: the caller can edit, false/empty fields left out, editors always present."""
    out = {k: v for k, v in item.items() if v not in (None, False, "")}
    out["range"] = output_range(item.get("range") or {})
    out["requestingUserCanEdit"] = True
    editors = {k: v for k, v in (item.get("editors") or {}).items() if v}
    out["editors"] = editors
    ordered = {"protectedRangeId": out.pop("protectedRangeId"), "range": out.pop("range")}
    ordered.update(out)
    return ordered


def add_protected_range(ctx: Context, request: Json) -> Json:
    """Protect a range; replies with the stored ProtectedRange (new protectedRangeId)."""
    given = copy.deepcopy(request.get("protectedRange") or {})
    sheet, _ = grid_range(ctx, given.get("range") or {})
    taken = {p["protectedRangeId"] for s in ctx.book.sheets for p in s.protected_ranges}
    given["protectedRangeId"] = int(given.get("protectedRangeId") or new_id(ctx, taken))
    if given["protectedRangeId"] in taken:
        raise RequestError(f"A protected range with id {given['protectedRangeId']} already exists.")
    stored = _normalise_protected(given)
    reply = copy.deepcopy(stored)
    # Google makes the requesting user an editor; the reply does not show it, later reads do.
    if ctx.user_email:  # warning-only ranges too (recorded: WorksheetTest.test_add_protected_range_warning)
        users = stored["editors"].setdefault("users", [])
        if ctx.user_email not in users:
            users.append(ctx.user_email)
    sheet.protected_ranges.append(stored)
    return {"addProtectedRange": {"protectedRange": reply}}


def update_protected_range(ctx: Context, request: Json) -> Json:
    """Update a protected range under a fields mask."""
    given = request.get("protectedRange") or {}
    sheet, item = _protected(ctx, int(given.get("protectedRangeId", -1)))
    updated = merge_masked(copy.deepcopy(item), given, required_fields(request))
    updated["protectedRangeId"] = item["protectedRangeId"]
    target, _ = grid_range(ctx, updated.get("range") or {})
    sheet.protected_ranges.remove(item)
    target.protected_ranges.append(_normalise_protected(updated))
    return {}


def delete_protected_range(ctx: Context, request: Json) -> Json:
    """Remove a protected range."""
    sheet, item = _protected(ctx, int(request.get("protectedRangeId", -1)))
    sheet.protected_ranges.remove(item)
    return {}


def add_named_range(ctx: Context, request: Json) -> Json:
    """Name a range; replies with the NamedRange (namedRangeId is a string)."""
    given = copy.deepcopy(request.get("namedRange") or {})
    name = str(given.get("name") or "")
    if not name or any(n["name"].lower() == name.lower() for n in ctx.book.named_ranges):
        raise RequestError(f"Invalid or duplicate named range name: {name}")
    grid_range(ctx, given.get("range") or {})
    taken = {int(n["namedRangeId"]) for n in ctx.book.named_ranges}
    stored = {
        "namedRangeId": str(given.get("namedRangeId") or new_id(ctx, taken)),
        "name": name,
        "range": output_range(given.get("range") or {}),
    }
    ctx.book.named_ranges.append(stored)
    return {"addNamedRange": {"namedRange": copy.deepcopy(stored)}}


def _named(ctx: Context, named_id: str) -> Json:
    found = next((n for n in ctx.book.named_ranges if n["namedRangeId"] == str(named_id)), None)
    if found is None:
        raise RequestError(f"No named range with id: {named_id}")
    return found


def update_named_range(ctx: Context, request: Json) -> Json:
    """Rename or move a named range under a fields mask."""
    given = request.get("namedRange") or {}
    item = _named(ctx, str(given.get("namedRangeId") or ""))
    updated = merge_masked(copy.deepcopy(item), given, required_fields(request))
    grid_range(ctx, updated.get("range") or {})
    updated["range"] = output_range(updated.get("range") or {})
    item.clear()
    item.update(updated)
    return {}


def delete_named_range(ctx: Context, request: Json) -> Json:
    """Remove a named range."""
    ctx.book.named_ranges.remove(_named(ctx, str(request.get("namedRangeId") or "")))
    return {}


HANDLERS: dict[str, Handler] = {
    "addProtectedRange": add_protected_range,
    "updateProtectedRange": update_protected_range,
    "deleteProtectedRange": delete_protected_range,
    "addNamedRange": add_named_range,
    "updateNamedRange": update_named_range,
    "deleteNamedRange": delete_named_range,
}
