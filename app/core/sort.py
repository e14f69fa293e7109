"""Row order: which columns sort the sheet, and a comparator that follows Sheets' sortRange rules."""

from __future__ import annotations

from collections.abc import Sequence

from app.core.model import Column, Formula, SheetValue

SortSpecs = tuple[tuple[int, bool], ...]


def _rank(value: SheetValue) -> tuple[int, float, str]:
    """Sheets orders numbers before text before booleans; text compares case-insensitively."""
    if isinstance(value, bool):
        return (2, float(value), "")
    if isinstance(value, float):
        return (0, value, "")
    if isinstance(value, Formula):
        return (1, 0.0, value.text.casefold())
    return (1, 0.0, str(value).casefold())


def compare_values(a: SheetValue, b: SheetValue, ascending: bool) -> int:
    """-1, 0 or 1; blank cells go last whatever the direction, as in Sheets."""
    if a is None or b is None:
        return (a is None) - (b is None)
    ra, rb = _rank(a), _rank(b)
    if ra == rb:
        return 0
    result = -1 if ra < rb else 1
    return result if ascending else -result


def compare_rows(a: Sequence[SheetValue], b: Sequence[SheetValue], specs: SortSpecs) -> int:
    """Compare two rows by the sort specs (missing cells are blank)."""
    for column, ascending in specs:
        va = a[column] if column < len(a) else None
        vb = b[column] if column < len(b) else None
        result = compare_values(va, vb, ascending)
        if result:
            return result
    return 0


def is_sorted(rows: Sequence[Sequence[SheetValue]], specs: SortSpecs) -> bool:
    """True when no row sorts before the row above it."""
    return all(compare_rows(rows[i - 1], rows[i], specs) <= 0 for i in range(1, len(rows)))


def sort_specs(
    sort_by: Sequence[str],
    owned: Sequence[Column],
    index: dict[str, int],
    date_headers: Sequence[str],
    key_header: str,
) -> SortSpecs:
    """Resolve sort_by (headers or fields, "-" for descending) to column indices.

    Default: the first date column, then the `position` column when configured, and always the key
    column last so ties order the same way on every run (no hidden helper column is added).
    """
    by_field = {c.field: c.header for c in owned}
    specs: list[tuple[int, bool]] = []
    names = list(sort_by) or [*date_headers[:1], *(["position"] if "position" in by_field else [])]
    for name in names:
        ascending = not name.startswith("-")
        bare = name.lstrip("-")
        header = bare if bare in index else by_field.get(bare)
        if header is not None and header in index:
            specs.append((index[header], ascending))
    specs.append((index[key_header], True))
    unique: dict[int, bool] = {}
    for column, ascending in specs:
        unique.setdefault(column, ascending)  # a column sorted twice only counts the first time
    return tuple(unique.items())
