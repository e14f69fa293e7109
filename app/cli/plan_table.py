"""A plan as a readable rich table: rows added and removed, cells before → after."""

from __future__ import annotations

from rich.table import Table

from app.core.model import Formula, SheetValue
from app.runtime.sync import Preview

MAX_SHOWN = 200  # a first sync of 5,000 cards should not print 5,000 lines


def _text(value: SheetValue) -> str:
    """A cell value as the table shows it."""
    if value is None or value == "":
        return "∅"
    if isinstance(value, Formula):
        return value.text
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def plan_table(preview: Preview) -> Table:
    """Every change of the plan (the first MAX_SHOWN of them), one line each."""
    plan = preview.plan
    summary = plan.summary()
    table = Table(
        title=f"{preview.pair}: {summary['rows_added']} to add, {summary['rows_removed']} to remove, "
        f"{summary['cells_changed']} cells to change ({preview.card_count} cards, {preview.row_count} rows)",
        title_justify="left",
    )
    for column in ("change", "card", "column", "before", "after"):
        table.add_column(column)
    lines: list[tuple[str, ...]] = []
    for fix in plan.headers:
        lines.append(("header", "", fix.header, "", "restored" if fix.write_header else "tagged"))
    for append in plan.appends:
        title = next((_text(cell.value) for _, cell in append.cells if isinstance(cell.value, str)), "")
        lines.append(("add row", append.key, "", "", title))
    for delete in plan.deletes:
        lines.append(("remove row", delete.key, "", f"row {delete.row + 1}", delete.reason))
    for update in plan.updates:
        for change in update.changes:
            column = preview.column_names.get(change.column, f"column {change.column + 1}")
            lines.append(("update", update.key, column, _text(change.before), _text(change.after.value)))
    if plan.sort is not None:
        lines.append(("sort rows", "", "", "", ""))
    for line in lines[:MAX_SHOWN]:
        table.add_row(*line)
    if len(lines) > MAX_SHOWN:
        table.caption = f"… and {len(lines) - MAX_SHOWN} more changes"
    if not lines:
        table.caption = "nothing to change: the sheet is in sync"
    return table
