"""Check a configuration against the live APIs: one board snapshot per board, one tab list per spreadsheet.

Lives in the shell (it calls connectors); the judgement itself is the pure `app.config.checks`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from app.config.checks import check_against_board, check_against_tabs, unreachable
from app.config.models import Config
from app.config.source import Problem, in_file_order
from connectors.errors import ConnectorError

T = TypeVar("T")


class BoardReader(Protocol):
    """What the check needs from Trello (TrelloConnector fits)."""

    def board_snapshot(self, board_id: str) -> dict[str, Any]: ...


class TabLister(Protocol):
    """What the check needs from Google Sheets (SheetsConnector fits)."""

    def tabs(self, spreadsheet_id: str) -> list[dict[str, Any]]: ...


def check_online(config: Config, trello: BoardReader, sheets: TabLister) -> list[Problem]:
    """Every problem only the APIs can reveal, each board and spreadsheet fetched once."""
    boards: dict[str, dict[str, Any] | ConnectorError] = {}
    tabs: dict[str, list[str] | ConnectorError] = {}
    problems: list[Problem] = []
    for pair in config.pairs:
        board_id, spreadsheet = pair.trello.board, pair.sheet.spreadsheet
        if board_id not in boards:
            boards[board_id] = _fetch(trello.board_snapshot, board_id)
        if spreadsheet not in tabs:
            tabs[spreadsheet] = _fetch(
                lambda sid: [str(t.get("title", "")) for t in sheets.tabs(sid)], spreadsheet
            )
        board, titles = boards[board_id], tabs[spreadsheet]
        if isinstance(board, ConnectorError):
            problems.append(unreachable(pair, "trello", board.message))
        else:
            problems += check_against_board(pair, board)
        if isinstance(titles, ConnectorError):
            problems.append(unreachable(pair, "sheet", titles.message))
        else:
            problems += check_against_tabs(pair, titles)
    return in_file_order(problems)


def _fetch(call: Callable[[str], T], arg: str) -> T | ConnectorError:
    """The call's answer, or the connector error it raised (reported as a problem, not raised)."""
    try:
        return call(arg)
    except ConnectorError as exc:
        return exc
