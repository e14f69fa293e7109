"""check_online: each board and spreadsheet asked once; API failures become located problems."""

from __future__ import annotations

from typing import Any

from app.config.models import parse_config
from app.core.tabs import PairTab
from app.runtime.online import check_online
from connectors.errors import AuthError, NotFound

TEXT = """\
pairs:
  - name: one
    trello: {board: AbCdEfGh, lists: [Reveiw]}
    sheet: {spreadsheet: s1, tab: One}
    columns: [{header: Title, field: name}]
  - name: two
    trello: {board: AbCdEfGh}
    sheet: {spreadsheet: s1, tab: Two}
    columns: [{header: Title, field: name}]
  - name: three
    trello: {board: Gone0000}
    sheet: {spreadsheet: s2, tab: Three}
    columns: [{header: Title, field: name}]
"""


class FakeTrello:
    def __init__(self) -> None:
        self.asked: list[str] = []

    def board_snapshot(self, board_id: str) -> dict[str, Any]:
        self.asked.append(board_id)
        if board_id == "Gone0000":
            raise NotFound("Trello has no board Gone0000", service="trello", status=404)
        return {"lists": [{"name": "Review"}], "labels": [], "customFields": []}


class FakeSheets:
    def __init__(self) -> None:
        self.asked: list[str] = []

    def tabs(self, spreadsheet_id: str) -> list[dict[str, Any]]:
        self.asked.append(spreadsheet_id)
        if spreadsheet_id == "s2":
            raise AuthError("Google Sheets refused access to spreadsheet s2", service="sheets", status=403)
        return [{"title": "One", "sheetId": 0}, {"title": "Too", "sheetId": 1}]


def test_problems_from_every_pair_with_each_source_fetched_once() -> None:
    config = parse_config(TEXT, "c.yaml", {})
    trello, sheets = FakeTrello(), FakeSheets()
    problems = check_online(config, trello, sheets)
    assert trello.asked == ["AbCdEfGh", "Gone0000"]
    assert sheets.asked == ["s1", "s2"]
    found = {(p.path, p.line): p for p in problems}
    assert set(found) == {
        ("pairs[0].trello.lists[0]", 3),
        ("pairs[1].sheet.tab", 8),
        ("pairs[2].trello.board", 11),
        ("pairs[2].sheet.spreadsheet", 12),
    }
    assert found[("pairs[1].sheet.tab", 8)].hint == "did you mean 'Too'?"
    assert (
        "cannot reach the board: Trello has no board Gone0000" in found[("pairs[2].trello.board", 11)].message
    )
    assert "service account" in found[("pairs[2].sheet.spreadsheet", 12)].hint


def test_a_tab_known_by_sheet_id_is_checked_by_that_id() -> None:
    config = parse_config(TEXT, "c.yaml", {})

    def known(pair: str) -> PairTab | None:
        # "two" synced tab "Two" as sheet id 1, since renamed "Too"; "one" knew a tab that is gone.
        return {"two": PairTab("s1", "Two", 1, "Two"), "one": PairTab("s1", "One", 7, "One")}.get(pair)

    paths = {p.path for p in check_online(config, FakeTrello(), FakeSheets(), known)}
    assert "pairs[1].sheet.tab" not in paths  # followed by sheet id: no problem
    assert "pairs[0].sheet.tab" not in paths  # gone by id, but a tab of the YAML's name exists
    gone = lambda pair: PairTab("s1", "Two", 7, "Two") if pair == "two" else None  # noqa: E731
    assert "pairs[1].sheet.tab" in {p.path for p in check_online(config, FakeTrello(), FakeSheets(), gone)}
