"""The month grid: golden files (DST months, 23:30 local, date-only cards, a crowded day, week starts).

The golden files in golden/ are the grid as text (tests/support/grid_text.py), reviewed by a person.
After a deliberate change, rewrite them with BOARDSHEET_UPDATE_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from app.core.decode import board_from_json
from app.core.model import Board
from app.core.views.month import CARDS_SHOWN, ROW_CAP, MonthSpec, month_grid
from tests.support.boardjson import board, card, policy
from tests.support.grid_text import grid_text

GOLDEN = Path(__file__).parent / "golden"
PARIS = "Europe/Paris"


def check_golden(name: str, text: str) -> None:
    """Compare with golden/<name>.txt (or write it when BOARDSHEET_UPDATE_GOLDEN=1)."""
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("BOARDSHEET_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text


def make(cards: list[dict[str, Any]]) -> Board:
    data = board(cards)
    data["url"] = "https://trello.com/b/AbCd/social"
    data["labels"] = [
        {"id": "lb1", "name": "Urgent", "color": "red"},
        {"id": "lb2", "name": "Video", "color": "sky_dark"},
    ]
    return board_from_json(data)


def spring_board() -> Board:
    return make(
        [
            card("c1", "Before the change", due="2027-03-28T00:59:00.000Z", idLabels=["lb1"]),
            card("c2", "After the change", due="2027-03-28T01:00:00.000Z", idLabels=["lb2"]),
            card("c3", "Late post", due="2027-03-14T22:30:00.000Z"),  # 23:30 CET on the 14th
            card("c4", "Late summer post", due="2027-03-30T21:30:00.000Z"),  # 23:30 CEST on the 30th
            card("c5", "All-day winter", due="2027-03-19T23:00:00.000Z"),  # midnight CET: the 20th
            card("c6", "All-day summer", due="2027-03-30T22:00:00.000Z"),  # midnight CEST: the 31st
            card("c7", "Archived", due="2027-03-16T09:00:00.000Z", closed=True),
            card("c8", "Filtered out", due="2027-03-16T09:00:00.000Z", idList="l3"),
            card("c9", '=IMPORTXML("http://evil","//a") 🎉 emoji', due="2027-03-16T08:00:00.000Z"),
            card("c10", "No date"),
        ]
    )


def test_a_month_with_the_spring_dst_change() -> None:
    spec = MonthSpec(tab="Calendar view", months=1, timezone=PARIS)
    grid = month_grid(spring_board(), policy(lists=("Drafting", "Review")), spec, date(2027, 3, 10))
    check_golden("spring_dst", grid_text(grid))


def test_a_card_at_23_30_local_stays_in_its_day() -> None:
    spec = MonthSpec(tab="Calendar view", months=1, timezone=PARIS)
    grid = month_grid(spring_board(), policy(), spec, date(2027, 3, 10))
    texts = [cell.text for row in grid.rows for cell in row]
    assert "14\n23:30 Late post" in texts
    assert "30\n23:30 Late summer post" in texts


def test_date_only_cards_have_no_time_and_come_first() -> None:
    cards = [
        card("a", "Timed", due="2027-03-19T08:00:00.000Z"),
        card("b", "All day", due="2027-03-19T23:00:00.000Z"),
        card("c", "Also all day", due="2027-03-19T23:00:00.000Z"),
    ]
    cards[0]["due"] = "2027-03-20T08:00:00.000Z"
    spec = MonthSpec(tab="V", months=1, timezone=PARIS)
    grid = month_grid(make(cards), policy(), spec, date(2027, 3, 1))
    day = next(cell for row in grid.rows for cell in row if cell.text.startswith("20\n"))
    assert day.text == "20\nAll day\nAlso all day\n09:00 Timed"


def test_a_month_with_the_autumn_dst_change_shows_both_half_past_two() -> None:
    cards = [
        card("c1", "First 02:30 (summer time)", due="2027-10-31T00:30:00.000Z"),
        card("c2", "Second 02:30 (winter time)", due="2027-10-31T01:30:00.000Z"),
    ]
    spec = MonthSpec(tab="V", months=1, timezone=PARIS, colour_by=None)
    check_golden("autumn_dst", grid_text(month_grid(make(cards), policy(), spec, date(2027, 10, 31))))


def test_forty_cards_on_one_day() -> None:
    cards = [card(f"c{i:02d}", f"Post {i:02d}", due=f"2027-02-15T{8 + i // 6:02d}:{i % 6 * 10:02d}:00.000Z")
             for i in range(40)]  # fmt: skip
    spec = MonthSpec(tab="V", months=1, timezone="UTC", colour_by="list")
    grid = month_grid(make(cards), policy(), spec, date(2027, 2, 1))
    check_golden("forty_cards", grid_text(grid))
    crowded = next(cell for row in grid.rows for cell in row if cell.text.startswith("15\n"))
    assert crowded.text.count("\n") == CARDS_SHOWN  # CARDS_SHOWN - 1 cards and "+N more"
    assert crowded.text.endswith(f"+{40 - CARDS_SHOWN + 1} more")
    assert crowded.note.count("\n") == 40  # every card in the note
    assert max(h or 0 for h in grid.heights) == ROW_CAP


@pytest.mark.parametrize("week_start", ["monday", "sunday"])
def test_a_month_starting_on_sunday(week_start: str) -> None:
    cards = [card("c1", "First of August", due="2027-08-01T10:00:00.000Z"),
             card("c2", "Last of July", due="2027-07-31T10:00:00.000Z")]  # fmt: skip
    spec = MonthSpec(tab="V", months=2, timezone=PARIS, week_start=week_start)  # type: ignore[arg-type]
    grid = month_grid(make(cards), policy(), spec, date(2027, 8, 20))
    check_golden(f"august_{week_start}", grid_text(grid))
    weekdays = [cell.text for cell in grid.rows[4]]
    assert weekdays[0] == ("Monday" if week_start == "monday" else "Sunday")


def test_months_roll_over_the_year_and_past_months_roll_off() -> None:
    spec = MonthSpec(tab="V", months=3, timezone=PARIS)
    grid = month_grid(make([]), policy(), spec, date(2026, 12, 31))
    headings = [row[0].text for row in grid.rows if row[0].size == 12]
    assert headings == ["December 2026", "January 2027", "February 2027"]
    later = month_grid(make([]), policy(), spec, date(2027, 1, 1))
    assert next(row[0].text for row in later.rows if row[0].size == 12) == "January 2027"


def test_titles_follow_the_template_and_never_become_formulas() -> None:
    data = make([card("c1", "=1+1", due="2027-03-02T10:00:00.000Z", idLabels=["lb2"])])
    spec = MonthSpec(tab="V", months=1, timezone="UTC", title="{name} [{labels}] {{x}}")
    grid = month_grid(data, policy(), spec, date(2027, 3, 1))
    day = next(cell for row in grid.rows for cell in row if cell.text.startswith("2\n"))
    assert day.text == "2\n10:00 =1+1 [Video] {x}"


def test_the_legend_names_only_the_coloured_labels_cards_carry() -> None:
    data = board([card("c1", "Post", due="2027-03-02T10:00:00.000Z", idLabels=["lb2", "lb3"])])
    data["labels"] = [
        {"id": "lb1", "name": "", "color": "green"},  # a new board's unnamed default, on no card
        {"id": "lb2", "name": "Video", "color": "sky"},
        {"id": "lb3", "name": "Plain", "color": None},  # no colour: nothing to show
    ]
    spec = MonthSpec(tab="V", months=1, timezone="UTC")
    grid = month_grid(board_from_json(data), policy(), spec, date(2027, 3, 1))
    assert grid.rows[2][0].text == "Colours (labels):  ■ Video"


@pytest.mark.parametrize(("source", "day"), [("due", "2"), ("start", "1"), ("custom:Publish", "3")])
def test_the_date_that_places_a_card_and_a_custom_field_colouring_it(source: str, day: str) -> None:
    # `date: start` or a date custom field place the card by that date; `colour_by: custom:Channel`
    # colours its title by the field's option, and the legend names the options.
    posted = card(
        "c1", "Post", start="2027-03-01T09:00:00.000Z", due="2027-03-02T09:00:00.000Z",
        customFieldItems=[
            {"idCustomField": "cf1", "idValue": "o2"},
            {"idCustomField": "cf4", "value": {"date": "2027-03-03T09:00:00.000Z"}},
        ],
    )  # fmt: skip
    spec = MonthSpec(tab="V", months=1, timezone="UTC", date=source, colour_by="custom:Channel")
    cards = board_from_json(board([posted, card("c2", "Other")]))
    grid = month_grid(cards, policy(), spec, date(2027, 3, 20))
    cells = [cell for row in grid.rows for cell in row if "Post" in cell.text]
    assert [cell.text for cell in cells] == [f"{day}\n09:00 Post"]
    (title,) = [run for run in cells[0].runs if run.link == "https://trello.com/c/c1/x"]
    assert title.colour is not None
    legend = grid.rows[2][0]
    assert legend.text == "Colours (Channel):  ■ Blog  ■ Newsletter"  # the field's name, not its YAML key
    newsletter = next(run for run in legend.runs if run.start == legend.text.index("■ Newsletter"))
    assert title.colour is not None and title.colour == newsletter.colour
