"""Trust no one (pure): protections of ours the last run left that someone removed or widened since."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from app.core.protections import Access, Protection, access_of, ours, read_range

__all__ = ["TrustEvent", "column_letter", "trust_events"]


@dataclass(frozen=True, slots=True)
class TrustEvent:
    """A protection of ours that someone removed or widened since the last run: kind, tab, what, who."""

    kind: Literal["removed", "widened"]
    tab: str
    description: str
    range: str  # in A1 words, e.g. "column C" or "the whole tab"
    detail: str = ""


def _where(rng: tuple[tuple[str, int], ...]) -> str:
    """A range in words: "the whole tab", "column C", "C1", "C2:C"."""
    bounds = dict(rng)
    if "startColumnIndex" not in bounds:
        return "the whole tab"
    letter = column_letter(bounds["startColumnIndex"])
    start, end = bounds.get("startRowIndex"), bounds.get("endRowIndex")
    if start is None and end is None:
        return f"column {letter}"
    if end == (start or 0) + 1:
        return f"{letter}{(start or 0) + 1}"
    return f"{letter}{(start or 0) + 1}:{letter}"


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA (A1 notation)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def trust_events(
    previous: Sequence[Protection],
    existing: Sequence[Mapping[str, Any]],
    tabs: Mapping[int, str],
    me: frozenset[str] = frozenset(),
    *,
    wanted: Sequence[Protection],
) -> list[TrustEvent]:
    """Protections of ours left by the last run that are gone now, or whose editors someone widened.

    Only those this run still `wanted` (by description) count: one the config no longer asks for (its
    intake, view or column gone, `protect: off`) is the run's own to remove, quietly, and its tab may not
    even have been read. `tabs` names each sheet id; `me` is us (never a widening). A range that moved
    with its columns is no event (Google moves it).
    """
    found = {str(item["description"]): item for item in ours(existing)}
    still = {want.description for want in wanted}
    events: list[TrustEvent] = []
    for before in (p for p in previous if p.description in still):
        tab = tabs.get(dict(before.range).get("sheetId", 0), "?")
        item = found.get(before.description)
        if item is None:
            events.append(TrustEvent("removed", tab, before.description, _where(before.range)))
            continue
        now_warning = bool(item.get("warningOnly"))
        allowed = Access(before.access.users | me, before.access.groups, before.access.domain)
        extra = set() if before.warning else access_of(item.get("editors")).beyond(allowed)
        if now_warning and not before.warning:
            extra.add("a warning instead of a lock")
        if extra:
            detail = "now also: " + ", ".join(sorted(extra))
            events.append(TrustEvent("widened", tab, before.description, _where(read_range(item)), detail))
    return events
