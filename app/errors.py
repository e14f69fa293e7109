"""boardsheet's own error tree (connector failures live in `connectors.errors`).

    BoardsheetError                any failure boardsheet reports to its user
    ├── ConfigError                the YAML (or what it names) is wrong; `problems` lists every one
    ├── UnknownPairError           no configured pair has that name (says which do, and the nearest)
    ├── GuardError                 a run refused to write, before any write, to lose nothing
    │   ├── EmptySideError         Trello or the sheet reads back empty while the base is not
    │   ├── DuplicateKeyError      the same key appears in two or more rows
    │   ├── KeyColumnMissingError  the key column is gone from a tab synced before (deleted)
    │   ├── HeaderRowMovedError    the header row is no longer the first row (a title typed above it)
    │   └── MassDeleteError        the plan deletes more rows than `max_deletes`; carries the plan
    ├── RunError                   a run failed for another reason (wraps the cause with `from`)
    │   └── PairBusy               another process is running the pair now; nothing was read or written
    └── StoreError                 the state store failed (unreachable, locked, bad schema)
        └── UnknownPlanError       no held plan has that id

Messages name pairs, rows and cards, never a key, token or credential.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


class BoardsheetError(Exception):
    """Base of every error boardsheet reports to its user."""


class ConfigError(BoardsheetError):
    """The configuration is invalid; `problems` holds every problem found, in file order."""

    def __init__(self, problems: Sequence[Any]) -> None:
        self.problems = list(problems)
        lines = [str(p) for p in self.problems]
        super().__init__(f"{len(lines)} configuration problem(s):\n" + "\n".join(lines))


class UnknownPairError(BoardsheetError, KeyError):
    """No pair is called `pair`; the message lists the configured ones (and the nearest, if any)."""

    def __init__(self, pair: str, known: Sequence[str], nearest: str | None = None) -> None:
        self.pair = pair
        self.known = list(known)
        hint = f" — did you mean '{nearest}'?" if nearest else ""
        listed = ", ".join(self.known) or "none"
        super().__init__(f"no pair named '{pair}'{hint} (configured: {listed})")

    def __str__(self) -> str:
        # KeyError's own __str__ would quote the message.
        return str(self.args[0])


class GuardError(BoardsheetError):
    """A guard refused the run before anything was written."""


class EmptySideError(GuardError):
    """One side (`side` is "trello" or "sheet") is empty while the base holds `base_rows` rows."""

    def __init__(self, side: str, base_rows: int) -> None:
        self.side = side
        self.base_rows = base_rows
        way_out = (
            "check that the YAML names the right tab, and bring emptied rows back with File > Version "
            "history in the sheet"
            if side == "sheet"
            else "check the YAML's board and its lists/labels filters, and undo the archive on the board"
        )
        super().__init__(
            f"the {side} side reads back empty while the last sync saw {base_rows} row(s); "
            f"refusing to write (wrong tab, failed read or emptied side?): {way_out}"
        )


class DuplicateKeyError(GuardError):
    """Some keys appear in several rows; `rows` maps each key to its 1-based sheet row numbers."""

    def __init__(self, rows: Mapping[str, Sequence[int]]) -> None:
        self.rows = {key: list(numbers) for key, numbers in rows.items()}
        shown = "; ".join(f"{key} in rows {', '.join(map(str, n))}" for key, n in sorted(self.rows.items()))
        super().__init__(f"the same card appears in several rows ({shown}); remove the copies")


class KeyColumnMissingError(GuardError):
    """The tab has no column headed `header` (nor tagged as the key) while the base holds `base_rows`."""

    def __init__(self, header: str, base_rows: int) -> None:
        self.header = header
        self.base_rows = base_rows
        super().__init__(
            f"the key column '{header}' is missing from the tab (deleted?) while the last sync saw "
            f"{base_rows} row(s): no row can be matched to its card, so nothing is written; bring the "
            f"column back (Edit > Undo or File > Version history in the sheet), or type the header "
            f"'{header}' above the column that holds the card ids, then run again"
        )


class HeaderRowMovedError(GuardError):
    """boardsheet's header row is now grid row `row` (1-based); row 1 holds `above`, text it does not own."""

    def __init__(self, row: int, above: Sequence[str]) -> None:
        self.row = row
        self.above = list(above)
        shown = ", ".join(f"'{text}'" for text in self.above) or "nothing"
        super().__init__(
            f"the header row is now row {row}, not row 1 (row 1 holds {shown}, text boardsheet does not "
            f"own); refusing to write over it: delete the {row - 1} row(s) above the header, or move that "
            "text into a free column or another tab, then run again; to keep a title above the header, set "
            "sheet.freshness: true (boardsheet then finds its header below the title and puts its "
            "freshness line between them)"
        )


class MassDeleteError(GuardError):
    """The plan deletes `deletes` rows, more than the allowed `limit`; `plan` is held for approval.

    `rows` describes each row it would delete for people (card title, list, free-column cells).
    """

    def __init__(
        self, deletes: int, limit: int, keys: Sequence[str], plan: Any, rows: Sequence[Any] = ()
    ) -> None:
        self.deletes = deletes
        self.limit = limit
        self.keys = list(keys)
        self.plan = plan
        self.rows = list(rows)
        super().__init__(
            f"the plan would delete {deletes} row(s), more than max_deletes ({limit}); "
            "held until approved (or run with --allow-mass-delete)"
        )


class RunError(BoardsheetError):
    """A run failed for a reason other than a guard; the cause is chained."""


class PairBusy(RunError):
    """Another process (a replica, or `boardsheet sync`) holds the pair's run lease; this run did nothing."""

    def __init__(self, pair: str) -> None:
        self.pair = pair
        super().__init__(f"pair {pair!r} is being synced by another process; try again when that run ends")


class LeaseLost(RunError):
    """The run's lease lapsed or was taken over before it wrote (its heartbeat stalled); nothing written."""

    def __init__(self, pair: str) -> None:
        self.pair = pair
        super().__init__(f"pair {pair!r}: the run lost its lease before writing; the next run starts afresh")


class RowsMoved(RunError):
    """A guarded write was refused because rows it addressed had moved since the read; nothing was written."""

    def __init__(self, pair: str) -> None:
        super().__init__(
            f"pair {pair!r}: rows moved between the read and the write (someone sorted, inserted or "
            "deleted rows), so Google refused the whole write and nothing changed; the next run reads again"
        )
        self.pair = pair


class StoreError(BoardsheetError):
    """The state store failed; the database error is chained, the URL's password never shown."""


class UnknownPlanError(StoreError):
    """No held plan has the id `plan_id`."""

    def __init__(self, plan_id: int) -> None:
        self.plan_id = plan_id
        super().__init__(f"no held plan has the id {plan_id}")


class NoSnapshotError(RunError):
    """The pair has no snapshot of its tab taken at or before the time asked for; nothing written."""

    def __init__(self, pair: str, when: str, any_kept: bool) -> None:
        self.pair = pair
        since = (
            "all it keeps are newer"
            if any_kept
            else "it has none yet (each run that sees a change keeps one)"
        )
        super().__init__(f"pair {pair!r} has no snapshot of its tab at or before {when}: {since}")
