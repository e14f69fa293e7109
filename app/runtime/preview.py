"""A plan as the shell hands it on: the requests that apply it and what people need to read it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.core.calendar_feed import FeedDocument
from app.core.explain import PlanFacts
from app.core.plan import Plan
from app.core.records import ChangeRecord, HeldPlan, PairSources
from app.core.wording import counted
from app.runtime.ideas import IdeasWork
from app.runtime.sheet_guard import GuardPlan
from connectors.sheets.tab_snapshot import TabSnapshot

__all__ = ["Preview", "describe", "held_rows", "protection_counts"]


@dataclass(frozen=True)
class Preview:
    """A plan computed from fresh reads, with the requests that would apply it (nothing written)."""

    pair: str
    plan: Plan
    requests: list[dict[str, Any]]
    card_count: int
    row_count: int
    column_names: dict[int, str]  # owned column index -> header, to show cell changes
    change_ids: tuple[int, ...] = ()  # change-log rows the requests append to the Changes tab
    facts: PlanFacts = field(default_factory=PlanFacts)
    timezone: str = "UTC"
    tab: str = ""
    created_tab: bool = False  # --create-tab added the tab before this plan was made
    approved: HeldPlan | None = None  # the held plan whose approval lets this plan delete its rows
    sources: PairSources | None = None
    view_requests: int = 0  # requests updating the view tabs' grids
    line_requests: int = 0  # requests writing (or removing) the freshness lines, sent last
    line_words: str = "freshness line refreshed"  # what those requests do, for the run's line
    feed: FeedDocument | None = None  # what the pair's calendar feed needs from this board read
    row_checks: int = 0  # rows whose position the write checks (app.core.anchors): a 400 may be a race
    waiting_removals: int = 0  # removals left to the next run: their rows had no anchor yet
    sheet_changes: tuple[ChangeRecord, ...] = ()  # the sheet's side of the change log (two-way cells)
    ideas: IdeasWork | None = None  # the intake tab's work (app/runtime/ideas.py)
    guard: GuardPlan | None = None  # protections and approval flags (runtime/sheet_guard.py)
    field_headers: Mapping[str, str] = field(default_factory=dict)  # Trello field -> column header


def describe(preview: Preview) -> str:
    """One line for logs and the CLI: what the run changed."""
    summary = preview.plan.summary()
    created = f"created tab '{preview.tab}', " if preview.created_tab else ""
    written = f"{counted(summary['trello_writes'], 'card')} written to Trello"
    trello = f", {written}" if summary["trello_writes"] else ""
    ideas = _ideas(preview.ideas)
    if not preview.requests:
        return f"{created}in sync ({counted(preview.row_count, 'row')}){trello}{ideas}"
    if len(preview.requests) == preview.line_requests:  # the line alone: say so, not "views updated"
        return f"{created}in sync ({counted(preview.row_count, 'row')}), {preview.line_words}{trello}{ideas}"
    parts = [
        f"{summary['rows_added']} added",
        f"{summary['rows_removed']} removed",
        f"{counted(summary['cells_changed'], 'cell')} changed",
    ]
    if summary["headers_repaired"] and preview.facts.new_header:
        parts.append("header created")
    elif summary["headers_repaired"]:
        parts.append(f"{counted(summary['headers_repaired'], 'header')} repaired")
    kept_out = summary["sheet_values_kept_out"]
    if summary["edits_reverted"] - kept_out:
        parts.append(
            f"{counted(summary['edits_reverted'] - kept_out, 'edit')} of owned cells in the sheet reverted "
            "to Trello's values"
        )
    if kept_out:
        parts.append(f"{counted(kept_out, 'sheet value')} not written to Trello (the cells' notes say why)")
    if summary["trello_writes"]:
        parts.append(written)
    if preview.change_ids:
        parts.append(f"{counted(len(preview.change_ids), 'change-log row')} appended")
    if preview.view_requests:
        parts.append("views updated")
    if preview.waiting_removals:
        parts.append(
            f"{counted(preview.waiting_removals, 'removal')} left for the next run (rows had no anchor yet)"
        )
    protections = protection_counts(preview)
    if protections:
        done = {"add": "added", "update": "updated", "delete": "deleted"}
        parts.append("protected ranges: " + ", ".join(f"{n} {done[verb]}" for verb, n in protections.items()))
    if preview.approved is not None:
        parts.append(f"held plan {preview.approved.id} applied (approved by {preview.approved.approved_by})")
    return created + ", ".join(parts) + ideas


def protection_counts(preview: Preview) -> dict[str, int]:
    """The protected ranges the run's batch adds, updates or deletes (putting back one someone removed is
    an add), by verb; empty when none."""
    requests = preview.guard.requests if preview.guard is not None else []
    verbs = ("add", "update", "delete")
    counts = {verb: sum(f"{verb}ProtectedRange" in request for request in requests) for verb in verbs}
    return {verb: count for verb, count in counts.items() if count}


def _ideas(work: IdeasWork | None) -> str:
    """The intake's part of the line: cards created, cards to create, or its missing tab."""
    if work is None:
        return ""
    said = work.describe() if work.created or work.plan is None else work.plan_line()
    return f"; {said}" if said else ""


def held_rows(
    plan: Plan, snapshot: TabSnapshot, facts: PlanFacts, owned: Sequence[int]
) -> list[dict[str, Any]]:
    """The rows a held plan would delete: card title, list, reason, and the free-column cells as shown."""
    headers = snapshot.rows[0] if snapshot.rows else []
    owned_set = set(owned)
    rows = []
    for delete in plan.deletes:
        cells = snapshot.rows[delete.row] if delete.row < len(snapshot.rows) else []
        free = {
            _header(headers, column): str(cell.get("formattedValue", ""))
            for column, cell in enumerate(cells)
            if column not in owned_set and cell.get("formattedValue") not in (None, "")
        }
        rows.append(facts.row(delete.key, delete.reason, free))
    return rows


def _header(headers: Sequence[Mapping[str, Any]], column: int) -> str:
    """A free column's header text, or its letter when it has none."""
    text = headers[column].get("formattedValue") if column < len(headers) else None
    if isinstance(text, str) and text.strip():
        return text
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
