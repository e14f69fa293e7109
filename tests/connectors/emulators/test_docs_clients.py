"""docs/emulators.md's client snippets (py-trello, googleapiclient, gspread) run as written."""

from __future__ import annotations

import re

import pytest

from connectors.emulators.serve import Emulators
from tests.support.paths import ROOT

pytestmark = pytest.mark.http


def _snippets() -> list[str]:
    text = (ROOT / "docs" / "emulators.md").read_text(encoding="utf-8")
    section = text.split("## Pointing other clients at the emulators", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)


def test_the_documented_clients_reach_the_emulators() -> None:
    snippets = _snippets()
    assert len(snippets) == 3
    with Emulators().start() as emulators:
        namespace: dict[str, object] = {
            "TRELLO_URL": emulators.trello_url,
            "SHEETS_URL": emulators.sheets_url,
        }
        for snippet in snippets:
            exec(compile(snippet, "docs/emulators.md", "exec"), namespace)
        boards = emulators.trello_app.state.trello.boards.values()
        assert "From py-trello" in [b["name"] for b in boards]
        book = emulators.sheets_app.state.sheets.spreadsheets[namespace["created"]["spreadsheetId"]]  # type: ignore[index]
        assert book.properties["title"] == "From googleapiclient"
        assert namespace["worksheet"].acell("A1").value == "Hello from gspread"  # type: ignore[attr-defined]
        # The snippets' clients keep connections open; close them, as a script's exit would.
        namespace["trello"].http_service.close()  # type: ignore[attr-defined]
        namespace["sheets"].close()  # type: ignore[attr-defined]
        namespace["client"].http_client.session.close()  # type: ignore[attr-defined]
