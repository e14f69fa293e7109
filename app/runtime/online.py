"""Check a configuration against the live APIs: one board snapshot per board, one tab list per spreadsheet.

Lives in the shell (it calls connectors); the judgement itself is the pure `app.config.checks`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from app.config.checks import check_against_board, check_against_tabs, check_intake_tab, unreachable
from app.config.models import Config
from app.config.source import Problem, in_file_order
from app.core.tabs import PairTab, applies, title_of
from connectors.errors import ConnectorError

T = TypeVar("T")


class BoardReader(Protocol):
    """What the check needs from Trello (TrelloConnector fits)."""

    def board_snapshot(self, board_id: str) -> dict[str, Any]: ...


class TabLister(Protocol):
    """What the check needs from Google Sheets (SheetsConnector fits)."""

    def tabs(self, spreadsheet_id: str) -> list[dict[str, Any]]: ...


KnownTabs = Callable[[str], PairTab | None]  # pair name -> the tab it last synced (Store.known_tab)


def _no_tabs_known(_pair: str) -> PairTab | None:
    """The default: no pair has synced yet."""
    return None


def check_online(
    config: Config, trello: BoardReader, sheets: TabLister, known: KnownTabs = _no_tabs_known
) -> list[Problem]:
    """Every problem only the APIs can reveal, each board and spreadsheet fetched once.

    A pair whose tab is known by sheet id (`known`, from the state store) is checked by that id, so a
    renamed tab, which runs follow, is no problem.
    """
    boards: dict[str, dict[str, Any] | ConnectorError] = {}
    tabs: dict[str, list[dict[str, Any]] | ConnectorError] = {}
    problems: list[Problem] = []
    for pair in config.pairs:
        board_id, spreadsheet = pair.trello.board, pair.sheet.spreadsheet
        if board_id not in boards:
            boards[board_id] = _fetch(trello.board_snapshot, board_id)
        if spreadsheet not in tabs:
            tabs[spreadsheet] = _fetch(sheets.tabs, spreadsheet)
        board, found = boards[board_id], tabs[spreadsheet]
        if isinstance(board, ConnectorError):
            problems.append(unreachable(pair, "trello", board.message))
        else:
            problems += check_against_board(pair, board)
        if isinstance(found, ConnectorError):
            problems.append(unreachable(pair, "sheet", found.message))
            continue
        tab = applies(known(pair.name), spreadsheet, pair.sheet.tab)
        if tab is None or title_of(tab.sheet_id, found) is None:
            problems += check_against_tabs(pair, [str(t.get("title", "")) for t in found])
        problems += check_intake_tab(pair, [str(t.get("title", "")) for t in found])
    return in_file_order(problems)


def _fetch(call: Callable[[str], T], arg: str) -> T | ConnectorError:
    """The call's answer, or the connector error it raised (reported as a problem, not raised)."""
    try:
        return call(arg)
    except ConnectorError as exc:
        return exc
