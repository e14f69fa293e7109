"""The month grid: the board's cards -> the cells of a calendar tab (pure).

Layout: a title row, a legend row, then for each month a heading row, a row of weekday names and one
row per week (Monday..Sunday, or Sunday..Saturday). Each day cell holds the day's number then one line
per card ("09:30 Title", or the title alone for a date-only card), each title a link to the card in the
card's colour. Weekends and today have their own backgrounds; days of the neighbouring months are
greyed. A day holding more cards than a row can show lists the first ones, then "+N more", and keeps
them all in the cell's note.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from app.core.mapping import exclusion
from app.core.model import Board, Policy
from app.core.views import palette
from app.core.views.cards import Moment, card_colour, card_date, colours, moment, title_of
from app.core.views.cells import EMPTY, GridCell, RichText

COLUMNS = 7
COLUMN_WIDTH = 180  # pixels
CARDS_SHOWN = 6  # a day with more lists CARDS_SHOWN - 1 cards and "+N more"
LINE_PIXELS = 17  # one line of 10-point text
PADDING_PIXELS = 6
MIN_WEEK_LINES = 4
HEADER_ROWS = 3  # title, freshness line and legend, frozen
FRESHNESS_CELL = (1, 0)  # the freshness line's cell: written apart from the grid (see views.freshness)
NOTE_LIMIT = 20_000


def lines_height(lines: int) -> int:
    """Pixels a row needs for `lines` lines of text."""
    return PADDING_PIXELS + LINE_PIXELS * lines


# The row height cap: the day number, CARDS_SHOWN - 1 cards and the "+N more" line.
ROW_CAP = lines_height(1 + CARDS_SHOWN)


@dataclass(frozen=True, slots=True)
class MonthSpec:
    """One month view of a pair: which months, by which date, coloured by what, titled how."""

    tab: str
    months: int = 3
    date: str = "due"
    colour_by: str | None = "labels"
    title: str = "{name}"
    week_start: Literal["monday", "sunday"] = "monday"
    timezone: str = "UTC"


@dataclass(frozen=True, slots=True)
class Entry:
    """One card in its day: when, what it shows, where it links, in which colour."""

    moment: Moment
    title: str
    link: str | None
    colour: palette.Colour | None
    pos: float


@dataclass(frozen=True, slots=True)
class Grid:
    """A view's cells (rows of COLUMNS cells), each row's height in pixels (None: Sheets' default)."""

    rows: tuple[tuple[GridCell, ...], ...]
    heights: tuple[int | None, ...]
    frozen_rows: int = HEADER_ROWS
    skip: tuple[tuple[int, int], ...] = (FRESHNESS_CELL,)  # cells the grid leaves to others
    column_width: int = COLUMN_WIDTH


def month_starts(today: date, months: int) -> list[date]:
    """The first day of this month and of the next `months - 1`."""
    starts, year, month = [], today.year, today.month
    for _ in range(months):
        starts.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return starts


def weeks(first: date, week_start: str) -> list[list[date]]:
    """The weeks (lists of 7 days) covering the month that starts on `first`."""
    firstweekday = calendar.MONDAY if week_start == "monday" else calendar.SUNDAY
    return [
        list(week) for week in calendar.Calendar(firstweekday).monthdatescalendar(first.year, first.month)
    ]


def entries(board: Board, policy: Policy, spec: MonthSpec) -> dict[date, list[Entry]]:
    """The pair's open cards with a date, by local day, date-only cards first, then by time."""
    shades = colours(board, spec.colour_by)
    days: dict[date, list[Entry]] = defaultdict(list)
    for card in board.cards:
        when = card_date(card, spec.date)
        if when is None or card.archived or exclusion(card, policy) is not None:
            continue
        found = moment(when, spec.timezone)
        link = card.url or card.short_url or None
        title = title_of(card, spec.title, spec.timezone)
        days[found.day].append(Entry(found, title, link, card_colour(card, spec.colour_by, shades), card.pos))
    for listed in days.values():
        listed.sort(key=lambda e: (e.moment.at is not None, e.moment.at or 0, e.pos, e.title))
    return days


def _line(text: RichText, entry: Entry) -> None:
    """One card's line: its time (if any), then its title as a link in its colour."""
    text.add("\n")
    if entry.moment.at is not None:
        text.add(entry.moment.at.strftime("%H:%M "))
    text.add(entry.title, link=entry.link, colour=entry.colour or (palette.LINK if entry.link else None))


def day_cell(
    day: date, listed: Sequence[Entry], *, month: int, today: date, weekend: bool
) -> tuple[GridCell, int]:
    """A day's cell and the lines it needs (capped: the rest is "+N more" and the note)."""
    text = RichText()
    other = day.month != month
    label = f"{day.day} {day:%b}" if other else str(day.day)
    text.add(
        label + (" · today" if day == today else ""), bold=not other, colour=palette.MUTED if other else None
    )
    shown = listed if len(listed) <= CARDS_SHOWN else listed[: CARDS_SHOWN - 1]
    for entry in shown:
        _line(text, entry)
    note = ""
    if len(shown) < len(listed):
        text.add("\n")
        text.add(f"+{len(listed) - len(shown)} more", bold=True, colour=palette.MUTED)
        note = _note(day, listed)
    background = palette.TODAY if day == today else palette.OTHER_MONTH if other else None
    if background is None and weekend:
        background = palette.WEEKEND
    return text.cell(background=background, wrap=True, note=note), 1 + len(shown) + (len(shown) < len(listed))


def _note(day: date, listed: Sequence[Entry]) -> str:
    """Every card of a crowded day, one per line (the note shows on hover)."""
    lines = [f"{len(listed)} cards on {day.isoformat()}:"]
    lines += [(e.moment.at.strftime("%H:%M ") if e.moment.at else "") + e.title for e in listed]
    note = "\n".join(lines)
    return note if len(note) <= NOTE_LIMIT else note[: NOTE_LIMIT - 1] + "…"


def _title_row(board: Board, spec: MonthSpec, starts: list[date]) -> tuple[GridCell, ...]:
    """The board's name, the months shown and the zone times are in."""
    span = f"{starts[0]:%B %Y}" + (f" to {starts[-1]:%B %Y}" if len(starts) > 1 else "")
    text = RichText()
    text.add(board.name or "Trello board", link=board.url or None, colour=palette.LINK if board.url else None)
    text.add(f" · {span} · times in {spec.timezone}")
    return (text.cell(bold=True, size=14), *([EMPTY] * (COLUMNS - 1)))


def _legend_row(board: Board, spec: MonthSpec) -> tuple[GridCell, ...]:
    """Each colour and what it stands for, in the colour itself."""
    shades = colours(board, spec.colour_by)
    if not shades:
        return (EMPTY,) * COLUMNS
    text = RichText()
    source = str(spec.colour_by).removeprefix("custom:")  # stakeholders read "Channel", not a YAML key
    text.add(f"Colours ({source}):", colour=palette.MUTED)
    for value, colour in shades.items():
        text.add("  ")
        text.add(f"■ {value}", colour=colour, bold=True)
    return (text.cell(), *([EMPTY] * (COLUMNS - 1)))


def _weekday_row(week: list[date]) -> tuple[GridCell, ...]:
    return tuple(GridCell(text=f"{day:%A}", bold=True, background=palette.HEADER) for day in week)


def month_grid(board: Board, policy: Policy, spec: MonthSpec, today: date) -> Grid:
    """The whole grid for the months from `today`'s on, `today` being the pair's local date."""
    starts = month_starts(today, spec.months)
    days = entries(board, policy, spec)
    rows: list[tuple[GridCell, ...]] = [
        _title_row(board, spec, starts),
        (EMPTY,) * COLUMNS,  # the freshness line's row
        _legend_row(board, spec),
    ]
    heights: list[int | None] = [None, None, None]
    for first in starts:
        month_weeks = weeks(first, spec.week_start)
        heading = GridCell(text=f"{first:%B %Y}", bold=True, size=12)
        rows += [(heading, *([EMPTY] * (COLUMNS - 1))), _weekday_row(month_weeks[0])]
        heights += [lines_height(1) + PADDING_PIXELS, None]
        for week in month_weeks:
            cells, lines = [], MIN_WEEK_LINES
            for day in week:
                cell, needed = day_cell(
                    day, days.get(day, ()), month=first.month, today=today, weekend=day.weekday() >= 5
                )
                cells.append(cell)
                lines = max(lines, needed)
            rows.append(tuple(cells))
            heights.append(min(ROW_CAP, lines_height(lines)))
    return Grid(tuple(rows), tuple(heights))
