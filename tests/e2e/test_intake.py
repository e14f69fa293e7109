"""The Ideas intake end to end: a row becomes exactly one card, the row shows it, edits flow both ways."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from app.cli.main import app
from app.errors import PairBusy
from app.runtime.sync import Syncer
from app.store.store import Store
from connectors.errors import Transient
from tests.support.trello_emulator import KEY, OPS
from tests.support.world import COLUMNS, World, config_text, world

INTAKE = """    intake:
      tab: Ideas
      list: Ideas
      columns:
        - {header: Idea, field: name}
        - {header: Why, field: desc}
        - {header: Network, field: labels}
        - {header: Publish on, field: due}
"""
HEADER = ["Idea", "Why", "Network", "Publish on", "Card ID", "Link", "List"]


@pytest.fixture
def w(tmp_path: Path) -> Iterator[World]:
    """A world whose pair has an Ideas tab (header typed by the committee) and is synced once."""
    with world(tmp_path) as w:
        w.configure(COLUMNS, INTAKE)
        w.sheets.add_tab(w.spreadsheet_id, "Ideas")
        type_row(w, 1, ["Idea", "Why", "Network", "Publish on"])
        w.sync()
        yield w


def type_row(w: World, row: int, values: list[Any], column: str = "A") -> None:
    """The committee types `values` into row `row` (1-based) of the Ideas tab, as in the browser."""
    answer = httpx.put(
        f"{w.sheets_url}/v4/spreadsheets/{w.spreadsheet_id}/values/Ideas!{column}{row}",
        params={"valueInputOption": "USER_ENTERED"},
        headers={"Authorization": "Bearer committee"},
        json={"values": [values]},
    )
    assert answer.status_code == 200, answer.text


def ideas_cards(w: World) -> list[dict[str, Any]]:
    """The open cards of the Ideas list that are not the seed's posts."""
    with w.trello_client() as client:
        lists = client.get(f"/1/boards/{w.board_id}/lists").json()
        ideas = next(item["id"] for item in lists if item["name"] == "Ideas")
        cards: list[dict[str, Any]] = client.get(f"/1/lists/{ideas}/cards").json()
    return [card for card in cards if not card["name"].startswith("Post ")]


def note(w: World, row: int, column: int) -> str:
    """The note on one cell of the Ideas tab (0-based row and column), "" when none."""
    answer = httpx.get(
        f"{w.sheets_url}/v4/spreadsheets/{w.spreadsheet_id}",
        params={
            "ranges": "Ideas",
            "includeGridData": "true",
            "fields": "sheets(data(rowData(values(note))))",
        },
        headers={"Authorization": "Bearer test"},
    )
    rows = answer.json()["sheets"][0]["data"][0].get("rowData", [])
    values = rows[row].get("values", []) if row < len(rows) else []
    return str(values[column].get("note", "")) if column < len(values) else ""


def test_an_idea_becomes_one_card_and_the_row_shows_its_id_link_and_list(w: World) -> None:
    type_row(w, 2, ["Teaser video", "Builds up the launch", "Instagram", "2026-12-24"])
    w.clear_logs()
    result = w.sync()
    calls = w.calls()
    # The read, the token's member (asked once per process: echoes are our member's) and one POST.
    assert calls == {"trello": 3, "sheets_read": 1, "sheets_write": 1}
    assert result.outcome == "ok" and "1 card created from Ideas" in result.message
    [card] = ideas_cards(w)
    assert (card["name"], card["desc"]) == ("Teaser video", "Builds up the launch")
    assert [label["name"] for label in card["labels"]] == ["Instagram"]
    assert card["due"].startswith("2026-12-2")  # midnight in Paris is the 23rd in UTC
    header, row = w.values("Ideas")[:2]
    assert header == HEADER
    assert row[4:] == [card["id"], card["url"], "Ideas"]
    [logged] = [c for c in w.store.recent_changes("calendar") if c.action_type == "intake:createCard"]
    assert (logged.card_id, logged.after) == (card["id"], "created from the Ideas tab, row 2")
    # The next run shows the new card on the Calendar tab (its board read is the first to see it), and
    # creates nothing; the one after writes nothing.
    w.clear_logs()
    w.sync()
    assert w.calls() == {"trello": 1, "sheets_read": 1, "sheets_write": 1}
    assert any(row[-1] == card["id"] for row in w.values())
    w.clear_logs()
    w.sync()
    assert w.calls() == {"trello": 1, "sheets_read": 1}
    assert len(ideas_cards(w)) == 1


def test_the_created_card_s_own_action_is_an_echo_logged_once(w: World) -> None:
    syncer = w.syncer()  # one process: it knows its own writes
    type_row(w, 2, ["Teaser video"])
    syncer.run("calendar")
    syncer.run("calendar")  # its board read finds the createCard action
    [card] = ideas_cards(w)
    about = [c for c in w.store.recent_changes("calendar") if c.card_id == card["id"]]
    assert [c.action_type for c in about] == ["intake:createCard"]


def test_the_list_cell_follows_the_card_through_moves_archiving_and_deletion(w: World) -> None:
    type_row(w, 2, ["Behind the scenes"])
    w.sync()
    [card] = ideas_cards(w)
    with w.trello_client() as client:
        lists = {item["name"]: item["id"] for item in client.get(f"/1/boards/{w.board_id}/lists").json()}
        client.put(f"/1/cards/{card['id']}", params={"idList": lists["Drafting"]}).raise_for_status()
        w.sync()
        assert w.values("Ideas")[1][6] == "Drafting"
        client.put(f"/1/cards/{card['id']}", params={"closed": "true"}).raise_for_status()
        w.sync()
        assert w.values("Ideas")[1][6] == "Archived"
        client.delete(f"/1/cards/{card['id']}").raise_for_status()
        w.sync()
    assert w.values("Ideas")[1][4:] == [card["id"], card["url"], "Deleted in Trello"]
    assert ideas_cards(w) == []  # a deleted card's row is not an idea to create again


def test_edits_flow_both_ways_after_the_card_exists(w: World) -> None:
    type_row(w, 2, ["Poll", "Ask the audience"])
    w.sync()
    [card] = ideas_cards(w)
    type_row(w, 2, ["Ask which product to launch first"], column="B")
    w.clear_logs()
    w.sync()
    assert w.calls()["trello"] == 2  # the read and one PUT (the token's member was asked at the creation)
    with w.trello_client() as client:
        assert client.get(f"/1/cards/{card['id']}").json()["desc"] == "Ask which product to launch first"
        client.put(f"/1/cards/{card['id']}", params={"name": "Audience poll"}).raise_for_status()
    w.sync()
    assert w.values("Ideas")[1][:2] == ["Audience poll", "Ask which product to launch first"]
    assert len(ideas_cards(w)) == 1


def test_an_unknown_label_leaves_the_row_as_typed_with_a_note_until_fixed(w: World) -> None:
    type_row(w, 2, ["Giveaway", "", "TikTok"])
    w.clear_logs()
    w.sync()
    assert w.calls()["trello"] == 1  # the read only: nothing created
    assert ideas_cards(w) == []
    assert w.values("Ideas")[1][:3] == ["Giveaway", "", "TikTok"]
    assert "the board has no label 'TikTok'" in note(w, 1, 2)
    assert w.values("Ideas")[1][6].startswith("Not created yet")
    type_row(w, 2, ["Instagram"], column="C")
    w.sync()
    [card] = ideas_cards(w)
    assert [label["name"] for label in card["labels"]] == ["Instagram"]
    assert note(w, 1, 2) == ""
    assert w.values("Ideas")[1][4:] == [card["id"], card["url"], "Ideas"]


def test_empty_rows_and_free_column_text_are_ignored_and_free_cells_never_written(w: World) -> None:
    type_row(w, 3, ["committee notes"], column="H")  # a free column
    type_row(w, 4, ["Recap"])
    type_row(w, 4, ["keep short"], column="H")
    w.sync()
    assert [card["name"] for card in ideas_cards(w)] == ["Recap"]
    rows = w.values("Ideas")
    assert rows[2] == ["", "", "", "", "", "", "", "committee notes"]
    assert rows[3][7] == "keep short"


def test_a_run_retried_after_a_failed_sheet_write_creates_no_second_card(
    w: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    type_row(w, 2, ["Countdown"])

    def refused(_spreadsheet: str, _requests: Any) -> Any:
        raise Transient("the write failed", service="sheets")

    with monkeypatch.context() as patch:
        patch.setattr(w.sheets, "batch_update", refused)
        with pytest.raises(Transient):
            w.sync()
    assert len(ideas_cards(w)) == 1 and w.values("Ideas")[1][4:] == []
    w.clear_logs()
    w.sync()
    assert w.calls()["trello"] == 1  # the read, no POST: the intent's card id was kept
    [card] = ideas_cards(w)
    assert w.values("Ideas")[1][4:] == [card["id"], card["url"], "Ideas"]


def test_a_card_whose_id_was_never_noted_is_adopted_from_the_board_read(
    w: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    type_row(w, 2, ["Milestone"])

    def lost(self: Store, _pair: str, _row_key: str, _card_id: str) -> None:
        raise RuntimeError("the process died after the POST")

    with monkeypatch.context() as patch:
        patch.setattr(Store, "intent_card", lost)
        with pytest.raises(RuntimeError):
            w.sync()
    assert len(ideas_cards(w)) == 1
    w.sync()
    [card] = ideas_cards(w)
    assert w.values("Ideas")[1][4:] == [card["id"], card["url"], "Ideas"]


def test_a_missing_intake_tab_is_said_and_the_calendar_still_syncs(tmp_path: Path) -> None:
    with world(tmp_path) as w:
        w.configure(COLUMNS, INTAKE)
        result = w.sync()
        assert result.outcome == "ok" and "the intake tab 'Ideas' is missing" in result.message
        assert len(w.values()) == 13


def test_an_empty_intake_tab_gets_its_header(tmp_path: Path) -> None:
    with world(tmp_path) as w:
        w.configure(COLUMNS, INTAKE)
        w.sheets.add_tab(w.spreadsheet_id, "Ideas")
        w.sync()
        assert w.values("Ideas") == [HEADER]


def test_boardsheet_plan_lists_the_cards_the_ideas_tab_would_create(w: World, tmp_path: Path) -> None:
    type_row(w, 2, ["Teaser"])
    type_row(w, 3, ["Recap"])
    config = tmp_path / "boardsheet.yaml"
    config.write_text(config_text(w.board_id, w.spreadsheet_id, COLUMNS, INTAKE), encoding="utf-8")
    env = {
        "BOARDSHEET_CONFIG": str(config),
        "BOARDSHEET_DATABASE_URL": f"sqlite:///{tmp_path / 'state.db'}",
        "TRELLO_API_KEY": KEY, "TRELLO_TOKEN": OPS, "TRELLO_API_URL": w.trello_url,
        "GOOGLE_SHEETS_API_URL": w.sheets_url, "GOOGLE_APPLICATION_CREDENTIALS": "",
    }  # fmt: skip
    shown = CliRunner().invoke(app, ["plan"], env=env)
    assert shown.exit_code == 0, shown.output
    assert "calendar: cards to create from Ideas: 2" in shown.output
    assert "Teaser" in shown.output and "Recap" in shown.output  # each idea listed, not only counted
    listed = json.loads(CliRunner().invoke(app, ["plan", "--json"], env=env).stdout)[0]["changes"]
    assert [(c["change"], c["card"], c["before"], c["after"]) for c in listed] == [
        ("create card from Ideas", "Teaser", "Ideas row 2", "card in Ideas"),
        ("create card from Ideas", "Recap", "Ideas row 3", "card in Ideas"),
    ]
    assert ideas_cards(w) == []  # a plan creates nothing


def test_c_cards_cost_c_posts_and_their_custom_field_writes_within_one_read_and_one_write(
    tmp_path: Path,
) -> None:
    with world(tmp_path) as w:
        w.trello.create_custom_field(w.board_id, "Channel", "list", ["Blog", "Newsletter"])
        w.configure(COLUMNS, INTAKE + '        - {header: Channel, field: "custom:Channel"}\n')
        w.sheets.add_tab(w.spreadsheet_id, "Ideas")
        type_row(w, 1, ["Idea", "Why", "Network", "Publish on", "Channel"])
        w.sync()
        for row in range(2, 5):
            type_row(w, row, [f"Idea {row}", "", "", "", "Blog"])
        w.clear_logs()
        w.sync()
        # The read, the token's member (once per process), 3 POSTs and their 3 custom-field writes.
        assert w.calls() == {"trello": 1 + 1 + 3 + 3, "sheets_read": 1, "sheets_write": 1}
        cards = ideas_cards(w)
        assert sorted(card["name"] for card in cards) == ["Idea 2", "Idea 3", "Idea 4"]
        with w.trello_client() as client:
            items = client.get(f"/1/cards/{cards[0]['id']}/customFieldItems").json()
        assert len(items) == 1 and items[0]["idValue"]


def test_two_replicas_make_one_card_for_a_row(
    w: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    type_row(w, 2, ["Teaser"])
    with Store(f"sqlite:///{tmp_path / 'state.db'}") as other:
        replica = Syncer(w.config, w.trello, w.sheets, other)
        read_tab = w.sheets.read_tab

        def read_then_overlap(*args: Any, **kwargs: Any) -> Any:
            snapshot = read_tab(*args, **kwargs)
            with pytest.raises(PairBusy):  # the other replica's run, during this one's
                replica.run("calendar")
            return snapshot

        with monkeypatch.context() as patch:
            patch.setattr(w.sheets, "read_tab", read_then_overlap)
            w.sync()
        replica.run("calendar")  # the other replica's next run sees the row written, the intent done
    [card] = ideas_cards(w)
    assert w.values("Ideas")[1][4:] == [card["id"], card["url"], "Ideas"]
