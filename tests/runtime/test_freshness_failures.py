"""The failure line's own failures: a warning that says what happened, never the run's error hidden."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from app.config.models import parse_config
from app.runtime.freshness import FailureLines
from app.store.store import Store
from connectors.errors import ConnectorError, TabNotFound

CONFIG = """
pairs:
  - name: alpha
    trello: {board: 5f1c0ffee0ddba11cafe0001}
    sheet: {spreadsheet: sheet1, tab: Calendar}
    columns: [{header: Title, field: name}]
    views: [{type: month, tab: Calendar view}]
"""


class _Unreachable:
    """A Sheets connector whose host refuses every connection."""

    def read_tab(self, *_args: Any, **_kwargs: Any) -> Any:
        raise ConnectorError("Sheets API at http://127.0.0.1:18772: connection refused", service="sheets")


def test_a_failure_line_that_cannot_be_written_says_why_in_words(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    spec = parse_config(CONFIG).pair("alpha")
    lines = FailureLines(lambda _pair: _Unreachable(), Store(f"sqlite:///{tmp_path / 'state.db'}"))  # type: ignore[arg-type, return-value]
    with caplog.at_level(logging.WARNING, logger="app.runtime.freshness"):
        at = datetime(2026, 12, 1, 10, tzinfo=UTC)
        lines.report(spec, at, at, "Trello unreachable")
    [line] = caplog.records
    assert line.getMessage() == (
        "pair alpha: could not write in the sheet that runs fail: "
        "Sheets API at http://127.0.0.1:18772: connection refused"
    )


class _NoTabs:
    """A spreadsheet without the tabs asked for; notes which tab each read started with."""

    def __init__(self) -> None:
        self.reads: list[str] = []

    def read_tab(self, _spreadsheet: str, tab: str, **_kwargs: Any) -> Any:
        self.reads.append(tab)
        raise TabNotFound(f"no tab {tab!r} in the spreadsheet", service="sheets")


@pytest.mark.parametrize("views", [False, True])
def test_a_missing_list_tab_is_the_runs_own_news_not_a_second_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, views: bool
) -> None:
    # `boardsheet sync` on a tab that does not exist said so twice, the second time as a warning.
    text = CONFIG.replace("tab: Calendar}", "tab: Calendar, freshness: true}")
    text = text if views else text.replace("    views: [{type: month, tab: Calendar view}]\n", "")
    spec = parse_config(text).pair("alpha")
    sheets = _NoTabs()
    lines = FailureLines(lambda _pair: sheets, Store(f"sqlite:///{tmp_path / 'state.db'}"))  # type: ignore[arg-type, return-value]
    with caplog.at_level(logging.WARNING, logger="app.runtime.freshness"):
        at = datetime(2026, 12, 1, 10, tzinfo=UTC)
        lines.report(spec, at, at, "no tab 'Calendar'")
    # Without views nothing more is read; with them, they are read alone (and here missing too: said).
    assert sheets.reads == (["Calendar", "Calendar view"] if views else ["Calendar"])
    assert [r.getMessage().endswith("no tab 'Calendar view' in the spreadsheet") for r in caplog.records] == (
        [True] if views else []
    )
