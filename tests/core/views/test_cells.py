"""View cells to and from CellData: rich text runs in UTF-16 units, and reads that compare equal."""

from __future__ import annotations

from app.core.views.cells import CELL_MASK, EMPTY, GridCell, RichText, Run, cell_data, grid_cell, normalise


def test_run_indexes_count_utf16_code_units() -> None:
    text = RichText()
    text.add("🎉 ")  # one emoji: two UTF-16 code units
    text.add("Launch", link="https://trello.com/c/1")
    cell = text.cell()
    assert cell.runs == (Run(3, link="https://trello.com/c/1"),)


def test_a_plain_piece_ends_a_link() -> None:
    text = RichText()
    text.add("1", bold=True)
    text.add("\n")
    text.add("Title", link="u", colour="#0b5cad")
    text.add("\n")
    assert text.cell().runs == (Run(0, bold=True), Run(1), Run(2, "u", "#0b5cad"), Run(7))


def test_what_google_may_answer_reads_as_what_was_written() -> None:
    written = RichText()
    written.add("14", bold=True)
    written.add("\n09:00 ")
    written.add("Post", link="https://trello.com/c/1", colour="#c0262d")
    cell = written.cell(background="#f1f4f8", wrap=True, note="n")
    data = cell_data(cell)
    # Google leaves out a zero startIndex, keeps colours twice, as float32, and adds its own defaults.
    answer = {
        "userEnteredValue": data["userEnteredValue"],
        "formattedValue": cell.text,
        "textFormatRuns": [
            {"format": {"bold": True}},
            {"startIndex": 2, "format": {}},
            {
                "startIndex": 9,
                "format": {
                    "link": {"uri": "https://trello.com/c/1"},
                    "foregroundColor": {"red": 0.7529412, "green": 0.14901961, "blue": 0.1764706},
                    "underline": True,
                },
            },
        ],
        "userEnteredFormat": {
            "backgroundColor": {"red": 0.94509804, "green": 0.95686275, "blue": 0.972549},
            "wrapStrategy": "WRAP",
            "verticalAlignment": "TOP",
        },
        "note": "n",
    }
    assert grid_cell(answer) == grid_cell(data) == cell


def test_typing_over_the_grid_is_seen() -> None:
    assert grid_cell({"userEnteredValue": {"numberValue": 3}, "formattedValue": "3"}).text == "3"
    assert grid_cell({"userEnteredValue": {"formulaValue": "=1"}, "formattedValue": "1"}) != EMPTY


def test_cleared_cells_are_empty_and_writing_empty_clears_everything_owned() -> None:
    assert grid_cell({"userEnteredFormat": {"wrapStrategy": "OVERFLOW_CELL"}}) == EMPTY
    assert cell_data(EMPTY) == {}
    assert set(CELL_MASK.split(",")) == {"userEnteredValue", "textFormatRuns", "note", "userEnteredFormat"}


def test_normalise_drops_runs_past_the_text_and_repeats() -> None:
    runs = [Run(5, "u"), Run(0), Run(2, "u"), Run(3, "u"), Run(9, "v")]
    assert normalise(runs, 6) == (Run(2, "u"),)


def test_text_is_always_a_string_value() -> None:
    data = cell_data(GridCell(text="=IMPORTXML(1)"))
    assert data["userEnteredValue"] == {"stringValue": "=IMPORTXML(1)"}
