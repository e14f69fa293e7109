"""A plan as people read it: cards by title, dates as the sheet shows them, why cards are left out.

The same lines feed the rich table and `boardsheet plan --json`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.table import Table

from app.core.model import Cell, Formula, SheetValue
from app.core.plan import CellChange
from app.core.wording import SheetWords, cell_text, counted
from app.runtime.preview import Preview, protection_counts

__all__ = ["MAX_SHOWN", "left_out_words", "plan_document", "plan_lines", "plan_table", "protection_words"]

MAX_SHOWN = 200  # on a terminal, a first sync of 5,000 cards should not print 5,000 lines
COLUMNS = ("change", "card", "column", "before", "after")


def _shown(cell: Cell) -> str:
    return cell_text(cell.value, cell.number_format)


def _kind(value: SheetValue, number_format: str | None) -> str:
    """What a cell holds, in a stakeholder's words ("text", "a date")."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "a checkbox"
    if isinstance(value, Formula):
        return "a formula"
    if isinstance(value, str):
        return "text"
    return {"DATE": "a date", "DATE_TIME": "a date and time"}.get(number_format or "", "a number")


def _cell_words(change: CellChange) -> tuple[str, str]:
    """Before and after as the sheet shows them; when both read the same, what really changes (a date
    typed as text becomes a date; else its format, link or note)."""
    number_format = change.after.number_format
    before, after = cell_text(change.before, number_format), _shown(change.after)
    if before != after:
        return before, after
    was, now = _kind(change.before, number_format), _kind(change.after.value, number_format)
    if was != now:
        return f"{before} (typed as {was})", f"{after} (as {now})"
    return before, f"{after} (its format, link or note)"


def plan_lines(preview: Preview) -> list[dict[str, str]]:
    """Every change of the plan, one dict each: change, card (title), key, column, before, after."""
    plan, facts = preview.plan, preview.facts
    lines: list[dict[str, str]] = []

    def add(change: str, key: str = "", column: str = "", before: str = "", after: str = "") -> None:
        card = facts.title(key) if key else ""
        lines.append(
            {"change": change, "card": card, "key": key, "column": column, "before": before, "after": after}
        )

    for fix in plan.headers:
        if facts.new_header:
            add("create header", column=fix.header, after=fix.header)
        else:
            add("repair header" if fix.write_header else "tag column", column=fix.header, after=fix.header)
    for append in plan.appends:
        dates = [_shown(cell) for _, cell in append.cells if cell.number_format is not None and cell.value]
        add("add row", append.key, after=", ".join(dates))
    for delete in plan.deletes:
        add("remove row", delete.key, before=f"row {delete.row + 1}", after=delete.reason)
    for update in plan.updates:
        for change in update.changes:
            column = preview.column_names.get(change.column, f"column {change.column + 1}")
            add("update", update.key, column, *_cell_words(change))
    _sheet_events(preview, add)
    lines += _ideas_lines(preview)
    if plan.sort is not None:
        add("sort rows")
    # What stakeholders see besides the rows: the view tabs' cells, the freshness lines.
    if preview.view_requests:
        add("update views", after=counted(preview.view_requests, "request"))
    if preview.line_requests:
        add("freshness line", after=preview.line_words)
    return lines


def _ideas_lines(preview: Preview) -> list[dict[str, str]]:
    """The ideas the intake would turn into cards: title, row of the intake tab, list."""
    work = preview.ideas
    if work is None or work.plan is None:
        return []
    tab, into = work.policy.tab, work.policy.list_name
    return [
        {"change": f"create card from {tab}", "card": new.name, "key": "", "column": "",
         "before": f"{tab} row {new.row + 1}", "after": f"card in {into}"}
        for new in work.plan.creates
    ]  # fmt: skip


def _sheet_events(preview: Preview, add: Callable[..., None]) -> None:
    """Two-way cells: what goes to Trello, what is kept out and why, rows written back."""
    plan, words = preview.plan, SheetWords(dict(preview.field_headers), preview.timezone)
    kept_out = set(map(id, plan.kept_out()))
    for event in plan.events:
        column = words.field(event.field)
        before, after = (words.value(event.field, value) or "" for value in (event.before, event.after))
        if event.kind == "edit":
            add("write to Trello", event.key, column, before, after)
        elif id(event) in kept_out:  # the sheet's value (after) stays out of Trello, for the reason given
            add(f"not written to Trello: {event.reason}", event.key, column, after, before)
        elif event.kind == "overridden":  # the sheet won a conflict: Trello's value (after) is replaced
            add(f"{event.reason} (Trello had it changed too)", event.key, column, after, before)
        else:
            add("row deleted in the sheet: written back", event.key)


def left_out_words(preview: Preview) -> str:
    """Why cards have no row, with counts ("3 archived, 2 not in the lists"); empty when none is."""
    return ", ".join(f"{count} {reason}" for reason, count in sorted(preview.facts.left_out.items()))


def protection_words(preview: Preview) -> str:
    """ "protected ranges: 1 to add, 2 to update"; empty when the sync writes none."""
    counts = protection_counts(preview)
    return (
        ("protected ranges: " + ", ".join(f"{n} to {verb}" for verb, n in counts.items())) if counts else ""
    )


def _title(preview: Preview) -> str:
    summary = preview.plan.summary()
    trello = (
        f", {counted(summary['trello_writes'], 'card')} to write to Trello"
        if summary["trello_writes"]
        else ""
    )
    return (
        f"{preview.pair}: {summary['rows_added']} to add, {summary['rows_removed']} to remove, "
        f"{counted(summary['cells_changed'], 'cell')} to change{trello} "
        f"({counted(preview.card_count, 'card')}, {counted(preview.row_count, 'row')})"
    )


def plan_table(preview: Preview, *, ids: bool = False, limit: int | None = MAX_SHOWN) -> Table:
    """The plan's changes as a table (card ids too with `ids`; at most `limit` lines, None: all)."""
    table = Table(title=_title(preview), title_justify="left")
    columns = [c for c in COLUMNS if c != "card"]
    columns.insert(1, "card")
    if ids:
        columns.insert(2, "card id")
    for column in columns:
        table.add_column(column)
    lines = plan_lines(preview)
    shown = lines if limit is None else lines[:limit]
    for line in shown:
        row = [line["change"], line["card"], line["column"], line["before"], line["after"]]
        if ids:
            row.insert(2, line["key"])
        table.add_row(*row)
    if len(shown) < len(lines):
        table.caption = f"… and {len(lines) - len(shown)} more changes (pipe the output or use --json)"
    return table


def plan_document(
    preview: Preview, limit: int | None, holds: bool, paused: str | None = None
) -> dict[str, Any]:
    """`boardsheet plan --json` for one pair (`paused`: why a sync would not run it, None when it would)."""
    return {
        "pair": preview.pair,
        "summary": preview.plan.summary(),
        "cards": preview.card_count,
        "rows": preview.row_count,
        "left_out": dict(preview.facts.left_out),
        "would_be_held": holds,
        "limit": limit,
        "changes": plan_lines(preview),
        "intake_cards_to_create": preview.ideas.to_create if preview.ideas is not None else 0,
        "paused": paused,
        "protected_ranges": protection_counts(preview),
    }
