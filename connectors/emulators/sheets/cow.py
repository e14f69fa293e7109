"""Copy-on-write working copies: a write changes a copy of what it touches, never the spreadsheet itself.

A write (a batchUpdate, a values update) must apply whole or not at all, as Google's do
(https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/batchUpdate: "if any request
is not valid, then the entire request will fail and nothing will be applied"). Deep-copying the whole
spreadsheet before each write made a client writing 1,000 rows one at a time wait 264 s (issue 13).
Here the small parts (properties, merges, metadata) are still deep-copied; the grid's rows and the
row/column sizes are shared with the original, and a row is copied the first time the write reaches it
through the list, so a write costs what it touches. Reads that only look go through `peek`; rows that
move (a sort, a moved dimension) move uncopied (`reorder`).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator
from typing import Any, SupportsIndex, TypeVar, overload

from connectors.emulators.sheets.state import Sheet, Spreadsheet

T = TypeVar("T")


def clone(value: T) -> T:
    """A deep copy of JSON data (dicts, lists, scalars), as copy.deepcopy makes it, several times faster:
    a big write copies every row it reaches (CowList) and every cell it writes (batch/cells.py)."""
    if isinstance(value, dict):
        return {key: clone(item) for key, item in value.items()}  # type: ignore[return-value]
    if isinstance(value, list):
        return [clone(item) for item in value]  # type: ignore[return-value]
    return value


def reorder(items: list[T], start: int, order: list[int]) -> None:
    """Put items[order[i]] at start + i, none of them copied: in a write's working copy (CowList) each is
    still copied when a request first reaches it, wherever it now is (a sort costs the rows it moves)."""
    moved = [list.__getitem__(items, i) for i in order]
    list.__setitem__(items, slice(start, start + len(order)), moved)


_SHARED = ("rows", "row_meta", "col_meta")  # Sheet fields copied row by row; every other is deep-copied


class CowList(list[T]):
    """A list sharing its items with an original until one is reached: then that item is copied first.

    Items put in (set, insert, append, extend) are this copy's own; `peek` reads without copying.
    """

    def __init__(self, items: Iterable[T], copy_item: Callable[[T], T]) -> None:
        super().__init__(items)
        self._copy = copy_item
        self._own: dict[int, T] = {}  # id -> item made or copied here (kept alive so ids stay unique)

    def _owned(self, item: T) -> T:
        self._own[id(item)] = item
        return item

    def _reach(self, index: int) -> T:
        item = super().__getitem__(index)
        if id(item) in self._own:
            return item
        mine = self._owned(self._copy(item))
        super().__setitem__(index, mine)
        return mine

    def peek(self, index: int) -> T:
        """The item at `index`, shared or not: to read only."""
        return super().__getitem__(index)

    @overload
    def __getitem__(self, index: SupportsIndex) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> list[T]: ...
    def __getitem__(self, index: SupportsIndex | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self._reach(i) for i in range(*index.indices(len(self)))]
        return self._reach(index.__index__())

    def __iter__(self) -> Iterator[T]:
        return (self._reach(i) for i in range(len(self)))

    def __reversed__(self) -> Iterator[T]:
        return (self._reach(i) for i in reversed(range(len(self))))

    @overload
    def __setitem__(self, index: SupportsIndex, value: T) -> None: ...
    @overload
    def __setitem__(self, index: slice, value: Iterable[T]) -> None: ...
    def __setitem__(self, index: SupportsIndex | slice, value: Any) -> None:
        if isinstance(index, slice):
            super().__setitem__(index, [self._owned(v) for v in value])
        else:
            super().__setitem__(index, self._owned(value))

    def insert(self, index: SupportsIndex, value: T) -> None:
        super().insert(index, self._owned(value))

    def append(self, value: T) -> None:
        super().append(self._owned(value))

    def extend(self, values: Iterable[T]) -> None:
        super().extend(self._owned(v) for v in values)

    def pop(self, index: SupportsIndex = -1) -> T:
        item = self._reach(index.__index__() % len(self))
        super().pop(index)
        return item


def working_copy(book: Spreadsheet) -> Spreadsheet:
    """A copy of `book` to apply one write to: small parts deep-copied, rows shared until reached."""
    return Spreadsheet(
        book.spreadsheet_id,
        copy.deepcopy(book.properties),
        [_sheet_copy(sheet) for sheet in book.sheets],
        copy.deepcopy(book.named_ranges),
        copy.deepcopy(book.developer_metadata),
    )


def _sheet_copy(sheet: Sheet) -> Sheet:
    """The sheet's small parts deep-copied, its rows and sizes as CowLists (no __init__: no resize)."""
    twin = copy.copy(sheet)
    for name, value in vars(sheet).items():
        if name not in _SHARED:
            setattr(twin, name, copy.deepcopy(value))
    twin.rows = CowList(sheet.rows, clone)
    twin.row_meta = CowList(sheet.row_meta, clone)
    twin.col_meta = CowList(sheet.col_meta, clone)
    return twin


def seal(book: Spreadsheet) -> Spreadsheet:
    """The write succeeded: plain lists again (reads stop copying), items as they now are."""
    for sheet in book.sheets:
        for name in _SHARED:
            items = getattr(sheet, name)
            if isinstance(items, CowList):
                setattr(sheet, name, list.__getitem__(items, slice(None)))  # a plain list, nothing copied
    return book
