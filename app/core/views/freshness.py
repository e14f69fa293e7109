"""The freshness line (pure): how fresh the month grid is, in its own cell of the grid's frozen rows.

"Synced from Trello board «Social content calendar» at 10:42 (Europe/Paris) · checked at least every 5 min",
or "· every change within seconds" while Trello's webhooks reach the service. It lives in the view tab
(row 2), and with `sheet.freshness` in a row of its own above the list tab's header
(app/core/views/list_line.py). A run that writes anyway updates it; a run that would write nothing
updates it only once the line is `every` old, so an idle pair costs at most 60 / every extra writes an
hour (4 with the default 15 minutes). When runs fail, the line says since when, in the same throttled
way. The cell's note keeps when the line was written (UTC), so a run knows whether the line is due
without keeping anything itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from app.core.views import palette
from app.core.views.cells import CELL_MASK, GridCell, RichText, cell_data
from app.core.views.month import FRESHNESS_CELL

Request = dict[str, object]
NOTE_PREFIX = "Written by boardsheet at "
REASON_LIMIT = 140


@dataclass(frozen=True, slots=True)
class Freshness:
    """What the line says: the board, when it was last synced, how often it is checked, any failure."""

    board: str
    timezone: str
    synced_at: datetime | None  # the last run that made the sheet show the board
    checked_every: timedelta
    failing_since: datetime | None = None
    reason: str = ""
    instant: bool = False  # Trello's webhooks reach the service: changes arrive within seconds


def _when(moment: datetime, now: datetime, zone: ZoneInfo) -> str:
    """ "10:42" today, "2026-11-29 10:42" another day, in the pair's zone."""
    local, today = moment.astimezone(zone), now.astimezone(zone)
    return local.strftime("%H:%M" if local.date() == today.date() else "%Y-%m-%d %H:%M")


def _every(span: timedelta) -> str:
    """A reconcile interval in plain words: "30 s", "5 min", "1 h"."""
    seconds = int(span.total_seconds())
    if seconds % 3600 == 0:
        return f"{seconds // 3600} h"
    return f"{seconds // 60} min" if seconds % 60 == 0 else f"{seconds} s"


def freshness_cell(fresh: Freshness, now: datetime) -> GridCell:
    """The line as a cell; its note records `now` (UTC) so the next run can tell whether it is due."""
    zone = ZoneInfo(fresh.timezone)
    text = RichText()
    if fresh.failing_since is not None:
        reason = fresh.reason if len(fresh.reason) <= REASON_LIMIT else fresh.reason[: REASON_LIMIT - 1] + "…"
        since = _when(fresh.failing_since, now, zone)
        text.add(
            f"⚠ Not synced since {since} ({fresh.timezone}): {reason}", bold=True, colour=palette.TEXT["red"]
        )
        if fresh.synced_at is not None:
            text.add(f" · shows Trello as of {_when(fresh.synced_at, now, zone)}", colour=palette.MUTED)
    else:
        synced = _when(fresh.synced_at or now, now, zone)
        text.add(
            f"Synced from Trello board «{fresh.board}» at {synced} ({fresh.timezone})", colour=palette.MUTED
        )
        timer = f"checked at least every {_every(fresh.checked_every)}"
        often = "every change within seconds" if fresh.instant else timer
        text.add(f" · {often}", colour=palette.MUTED)
    return text.cell(note=NOTE_PREFIX + now.isoformat(timespec="seconds"))


def written_at(cell: GridCell) -> datetime | None:
    """When boardsheet last wrote the line, from its note; None when absent or unreadable."""
    if not cell.note.startswith(NOTE_PREFIX):
        return None
    try:
        moment = datetime.fromisoformat(cell.note[len(NOTE_PREFIX) :])
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def failing(cell: GridCell) -> bool:
    """Whether the line says runs fail."""
    return cell.text.startswith("⚠")


def due(current: GridCell, now: datetime, every: timedelta, *, failure: bool = False) -> bool:
    """Whether the line must be written though nothing else is: it is `every` old, or its news changed."""
    written = written_at(current)
    if written is None or written > now or failing(current) != failure:
        return True
    return now - written >= every


def freshness_request(sheet_id: int, cell: GridCell) -> Request:
    """updateCells writing the line's cell."""
    row, column = FRESHNESS_CELL
    return {
        "updateCells": {
            "start": {"sheetId": sheet_id, "rowIndex": row, "columnIndex": column},
            "rows": [{"values": [cell_data(cell)]}],
            "fields": CELL_MASK,
        }
    }


def failing_since(
    outcomes: Sequence[tuple[str, datetime]], now: datetime
) -> tuple[datetime, datetime | None]:
    """(since when runs fail, the last good run's time) from (outcome, started) newest first."""
    since = now
    for outcome, started in outcomes:
        if outcome in ("ok", "noop"):
            return since, started
        since = started
    return since, None
