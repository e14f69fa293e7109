"""Cross-field checks report beside field errors: check-config shows every problem at once, at its line."""

from __future__ import annotations

from tests.support.configs import at, problems_of

BOTH = """\
pairs:
  - name: social
    trello: {board: AbCdEfGh, archived: hide}
    sheet: {spreadsheet: sheet-1, tab: Calendar}
    columns:
      - {header: Date, field: due}
      - {header: Approved, field: "custom:Approved"}
    approval: {column: Aproved, required_in: [Scheduled]}
    views: [{type: month, tab: Calendar}]
    sort_by: Dat
"""


def test_an_invalid_field_does_not_hide_the_cross_field_checks() -> None:
    problems = problems_of(BOTH)
    assert at(problems, "pairs[0].trello.archived").line == 3
    assert at(problems, "pairs[0].approval.column").line == 8
    assert "did you mean 'Approved'" in at(problems, "pairs[0].approval.column").hint
    assert at(problems, "pairs[0].views[0].tab").line == 9  # the pair's own tab as a view
    assert at(problems, "pairs[0].sort_by[0]").line == 10  # sort_by given as one text still checked
    assert len(problems) == 4


def test_a_check_reading_an_invalid_value_is_skipped_not_run_on_its_default() -> None:
    text = BOTH.replace("tab: Calendar}\n", "tab: Calendar, key_header: [1]}\n", 1).replace(
        "{header: Date, field: due}", "{header: Card ID, field: due}"
    )
    problems = problems_of(text)
    paths = {p.path for p in problems}
    # The default key_header ('Card ID') would clash with a column: the key_header and sort_by checks read
    # the invalid value, so they stay quiet; the others still report.
    assert "pairs[0].sheet.key_header" in paths and "pairs[0].sort_by[0]" not in paths
    assert not [p for p in problems if "also a mapped column" in p.message]
    assert {"pairs[0].trello.archived", "pairs[0].approval.column", "pairs[0].views[0].tab"} <= paths


def test_a_required_value_failing_leaves_the_checks_on_the_other_fields() -> None:
    text = BOTH.replace("board: AbCdEfGh", "board: [1]")  # the board is required: no default stands in
    paths = {p.path for p in problems_of(text)}
    assert {"pairs[0].trello.board", "pairs[0].views[0].tab", "pairs[0].sort_by[0]"} <= paths
    assert "pairs[0].approval.column" in paths  # reads columns and trello.lists, not the board


def test_pairs_are_compared_while_another_pair_has_field_errors() -> None:
    pair = BOTH.split("pairs:\n")[1]
    good = pair.replace("archived: hide", "archived: keep").replace("column: Aproved", "column: Approved")
    good = good.replace("    views: [{type: month, tab: Calendar}]\n    sort_by: Dat\n", "")
    text = (
        "pairs:\n"
        + pair
        + good.replace("tab: Calendar", "tab: Other")
        + good.replace("tab: Calendar", "tab: Other")
    )
    paths = {p.path for p in problems_of(text)}
    assert {
        "pairs[0].trello.archived",
        "pairs[0].approval.column",
        "pairs[2].name",
        "pairs[2].sheet.tab",
    } <= paths
