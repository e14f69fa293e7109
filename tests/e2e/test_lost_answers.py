"""A run whose batchUpdate was applied but whose answer was lost (issue 8 §4's fault mode, end to end).

Google may apply a write and then fail to answer (a 5xx, or a connection dropped after the change), or
answer it later than the client waits (`late`: our own bound cut it off, as the big board's first batch
was by the old 60 s socket timeout). A write is never sent twice (connectors/sheets/one_shot.py,
transport.py): the run fails, and the next run re-reads the sheet, finds its own change already there and
converges, never appending rows twice.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import httpx
import pytest

from connectors.errors import Transient
from connectors.sheets import transport
from tests.support.world import World, world

pytestmark = pytest.mark.http  # both emulators over loopback

KEY = 5  # the Card ID column of the world's layout
CUT_OFF, LATE = 0.5, 2.0  # `late`: the client's write bound, lowered, and the server's later answer


def _edit_board(w: World, everything: bool) -> list[str]:
    """Add a card (and, with `everything`, rename one and archive one); the titles the tab should show."""
    titles = [f"Post {i:05d}" for i in range(4)]
    with w.trello_client() as trello:
        added = trello.post("/1/cards", params={"idList": w.ids["Ideas"], "name": "Brand new"})
        assert added.status_code == 200
        if everything:
            assert (
                trello.put(f"/1/cards/{w.ids['Post 00001']}", params={"name": "Renamed"}).status_code == 200
            )
            assert trello.put(f"/1/cards/{w.ids['Post 00002']}", params={"closed": "true"}).status_code == 200
            titles = ["Post 00000", "Renamed", "Post 00003"]
    return [*titles, "Brand new"]


@pytest.mark.parametrize("lost_answer", ["503", "drop", "late"])
@pytest.mark.parametrize("everything", [False, True], ids=["append only", "update, delete and append"])
def test_a_write_applied_but_unanswered_is_never_applied_twice(
    tmp_path: Path, lost_answer: str, everything: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    with world(tmp_path, cards=4) as w:
        assert w.sync().outcome == "ok"
        expected = _edit_board(w, everything)
        faults = f"{w.sheets_url}/_emulator/faults"
        fault, heal = {"lost_answer_rate": 1.0, "lost_answer": lost_answer}, {"lost_answer_rate": 0.0}
        if lost_answer == "late":
            monkeypatch.setattr(transport, "WRITE_TIMEOUT", CUT_OFF)
            fault, heal = {"write_delay": LATE}, {"write_delay": 0.0}
        assert httpx.put(faults, json=fault).status_code == 200
        w.clear_logs()
        with pytest.raises(Transient):
            w.sync()
        assert w.calls()["sheets_write"] == 1  # sent once: it may have been applied (it was)
        assert sorted(row[1] for row in w.values()[1:]) == sorted(expected)
        assert httpx.put(faults, json=heal).status_code == 200
        monkeypatch.undo()

        result = w.sync()
        assert result.outcome in ("ok", "noop"), result.message
        assert (result.rows_added, result.rows_removed) == (0, 0)  # its own change was already there
        rows = w.values()[1:]
        assert max(Counter(row[KEY] for row in rows).values()) == 1, "a row was written twice"
        assert sorted(row[1] for row in rows) == sorted(expected)
        assert w.sync().outcome == "noop"
