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
from connectors.errors import ConnectorError

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
        lines.report(spec, datetime(2026, 12, 1, 10, tzinfo=UTC), "Trello unreachable", failed=True)
    [line] = caplog.records
    assert line.getMessage() == (
        "pair alpha: could not write in the sheet that runs fail: "
        "Sheets API at http://127.0.0.1:18772: connection refused"
    )
