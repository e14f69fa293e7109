"""Two-way columns end to end: another Google user edits the sheet, a run writes Trello, within budget.

No Drive push here: the run is triggered the way the timer, the CLI or a Trello webhook triggers it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from app.cli.plan_table import plan_lines
from app.runtime.attribution import Attribution
from app.runtime.sync import Syncer
from connectors.errors import ConnectorError
from tests.support.world import World, world

EDITOR = "editor@example.com"
TWO_WAY = """
      - {header: Date, field: due, two_way: true}
      - {header: Title, field: name}
      - {header: Status, field: list, two_way: true}
      - {header: Channel, field: "custom:Channel", two_way: true}
      - {header: Link, field: url}
"""
HEADERS = ["Date", "Title", "Status", "Channel", "Link", "Card ID"]


def _share(w: World) -> None:
    """The spreadsheet shared with the editor (as a privileged test user: any bearer but user:/ya29.)."""
    answer = httpx.post(
        f"{w.sheets_url}/drive/v3/files/{w.spreadsheet_id}/permissions",
        headers={"Authorization": "Bearer test"},
        json={"type": "user", "role": "writer", "emailAddress": EDITOR},
    )
    assert answer.status_code == 200, answer.text


def _edit(w: World, row: int, column: str, value: Any) -> None:
    """The editor types `value` into one cell (USER_ENTERED, as in the browser)."""
    letter = "ABCDEF"[HEADERS.index(column)]
    answer = httpx.put(
        f"{w.sheets_url}/v4/spreadsheets/{w.spreadsheet_id}/values/Calendar!{letter}{row + 1}",
        params={"valueInputOption": "USER_ENTERED"},
        headers={"Authorization": f"Bearer user:{EDITOR}"},
        json={"values": [[value]]},
    )
    assert answer.status_code == 200, answer.text


def _row_of(w: World, card_id: str) -> int:
    return next(i for i, row in enumerate(w.values()) if row and row[-1] == card_id)


def _card(w: World, card_id: str) -> dict[str, Any]:
    with w.trello_client() as client:
        card: dict[str, Any] = client.get(f"/1/cards/{card_id}", params={"customFieldItems": "true"}).json()
    return card


def _puts(w: World) -> list[str]:
    return [e["path"] for e in w.trello_app.state.request_log.snapshot() if e["method"] == "PUT"]


def _setup(w: World) -> list[str]:
    """Two-way columns, a Channel list field, one synced run; the card ids in sheet order."""
    w.trello.create_custom_field(w.board_id, "Channel", "list", ["Blog", "Newsletter"])
    w.configure(columns=TWO_WAY)
    w.sync()
    _share(w)
    return [row[-1] for row in w.values()[1:]]


def test_a_stakeholder_edits_a_date_and_a_list_and_the_card_follows(tmp_path: Path) -> None:
    with world(tmp_path, cards=3) as w:
        card_id = _setup(w)[0]
        row = _row_of(w, card_id)
        _edit(w, row, "Date", "2026-12-24")
        _edit(w, row, "Status", "review")

        w.clear_logs()
        result = w.sync()
        assert result.outcome == "ok"
        calls = w.calls()
        # the board read, the token's member (once per process: whose actions are echoes) and ONE PUT
        assert calls["trello"] == 3
        assert calls["sheets_read"] == 1 and calls["sheets_write"] <= 1
        card = _card(w, card_id)
        assert card["idList"] == w.ids["Review"]
        assert card["due"] == "2026-12-23T23:00:00.000Z"  # a date-only due, midnight in Europe/Paris
        assert w.values()[_row_of(w, card_id)][HEADERS.index("Status")] == "Review"
        logged = {(c.field, c.member, c.after) for c in w.store.recent_changes("calendar")}
        assert ("list", "the sheet", "Review") in logged
        assert ("due", "the sheet", "2026-12-23T23:00:00.000Z") in logged

        w.clear_logs()  # the run the echo of our own write (its webhook) triggers
        assert w.sync().outcome == "noop"
        assert w.calls() == {"trello": 1, "sheets_read": 1}


def test_the_sheets_change_log_rows_reach_the_changes_tab_in_the_same_run(tmp_path: Path) -> None:
    with world(tmp_path, cards=2) as w:
        w.trello.create_custom_field(w.board_id, "Channel", "list", ["Blog", "Newsletter"])
        w.configure(columns=TWO_WAY, extra="    changes_tab: Changes\n")
        # One Syncer, as in the service: it remembers its own Trello writes, so the next run's read of the
        # board's actions skips their echoes (a separate process logs them once more; see the README).
        syncer = w.syncer()
        syncer.run("calendar")
        _share(w)
        card_id, status = w.values()[1][-1], w.values()[1][HEADERS.index("Status")]
        _edit(w, _row_of(w, card_id), "Status", "Scheduled")
        _edit(w, _row_of(w, card_id), "Channel", "Podcast")  # not an option: kept out, logged
        w.clear_logs()
        syncer.run("calendar")
        assert w.calls()["sheets_write"] == 1
        log = w.values("Changes")
        assert [row[1] for row in log[1:]] == ["the sheet", "the sheet"]  # Who holds who, nothing else
        assert [row[4:6] for row in log[1:]] == [
            [status, "Scheduled"],
            ["Podcast", "not applied: 'Podcast' is not one of the options: Blog, Newsletter"],
        ]
        w.clear_logs()
        assert syncer.run("calendar").outcome == "noop"
        assert w.calls() == {"trello": 1, "sheets_read": 1}


def test_k_cards_edited_cost_at_most_two_trello_writes_each(tmp_path: Path) -> None:
    with world(tmp_path, cards=3) as w:
        ids = _setup(w)
        for card_id, channel in zip(ids, ("Blog", "Newsletter", "blog"), strict=True):
            row = _row_of(w, card_id)
            _edit(w, row, "Status", "Scheduled")
            _edit(w, row, "Channel", channel)
        w.clear_logs()
        w.sync()
        calls = w.calls()
        # the read and the token's member, then per card: one PUT, one custom-field item
        assert calls["trello"] - 2 == 2 * len(ids)
        assert calls["sheets_read"] == 1 and calls["sheets_write"] <= 1
        items = [i for i in _card(w, ids[2])["customFieldItems"] if i.get("idValue")]
        assert len(items) == 1


def test_an_unknown_list_is_not_written_and_the_cell_says_why(tmp_path: Path) -> None:
    with world(tmp_path, cards=2) as w:
        card_id = _setup(w)[0]
        before = _card(w, card_id)["idList"]
        _edit(w, _row_of(w, card_id), "Status", "Somewhere else")
        w.clear_logs()
        w.sync()
        assert _puts(w) == []
        assert _card(w, card_id)["idList"] == before
        snapshot = w.sheets.read_tab(w.spreadsheet_id, "Calendar", formats=True)
        cell = snapshot.rows[_row_of(w, card_id)][HEADERS.index("Status")]
        assert "no open list 'Somewhere else'" in cell["note"]
        (change,) = w.store.recent_changes("calendar")
        assert change.before == "Somewhere else" and change.member == "the sheet"
        assert change.after and "not applied: " in change.after and "no open list" in change.after


def test_a_run_stopped_after_some_writes_converges_without_writing_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with world(tmp_path, cards=2) as w:
        first, second = _setup(w)
        _edit(w, _row_of(w, first), "Status", "Review")
        _edit(w, _row_of(w, second), "Status", "Published")
        update = w.trello.update_card
        calls: list[str] = []

        def crash_on_second(card_id: str, **fields: Any) -> dict[str, Any]:
            calls.append(card_id)
            if len(calls) == 2:
                raise RuntimeError("the process died here")
            return update(card_id, **fields)

        monkeypatch.setattr(w.trello, "update_card", crash_on_second)
        w.clear_logs()
        with pytest.raises(RuntimeError):
            w.sync()
        monkeypatch.setattr(w.trello, "update_card", update)
        w.sync()
        puts = _puts(w)
        assert sorted(puts) == sorted([f"/1/cards/{first}", f"/1/cards/{second}"])  # each card once
        assert _card(w, first)["idList"] == w.ids["Review"]
        assert _card(w, second)["idList"] == w.ids["Published"]
        assert w.sync().outcome == "noop"


@pytest.mark.parametrize("lost", ["503", "drop"])
def test_a_write_whose_answer_is_lost_is_not_sent_again(tmp_path: Path, lost: str) -> None:
    # Trello applied the PUT but its answer was lost: the run fails rather than resend it (a resent PUT
    # could undo a teammate's change made in between); the next run sees Trello show the sheet's value.
    with world(tmp_path, cards=2) as w:
        card_id = _setup(w)[0]
        _edit(w, _row_of(w, card_id), "Status", "Review")
        faults = w.trello_app.state.faults
        faults.lost_answer, faults.lost_answer_rate = lost, 1.0
        w.clear_logs()
        with pytest.raises(ConnectorError):  # the run fails: the service's coordinator runs it again
            w.sync()
        faults.lost_answer_rate = 0.0
        w.sync()
        assert _puts(w) == [f"/1/cards/{card_id}"]  # applied once, never resent
        assert _card(w, card_id)["idList"] == w.ids["Review"]
        assert w.values()[_row_of(w, card_id)][HEADERS.index("Status")] == "Review"
        w.clear_logs()
        assert w.sync().outcome == "noop"


def test_views_feed_and_grid_show_the_sheets_edit_in_its_own_run_and_the_echo_writes_nothing(
    tmp_path: Path,
) -> None:
    # The month grid, the list tab's colours and the calendar feed are drawn from the board as the run's
    # Trello writes leave it: drawn from the board as read, they would lag a run and the echo would write.
    with world(tmp_path, cards=2) as w:
        w.trello.create_custom_field(w.board_id, "Channel", "list", ["Blog", "Newsletter"])
        views = "    views: [{type: month, tab: Calendar view, months: 2, colour_by: list}]\n"
        w.configure(columns=TWO_WAY, extra=views)
        syncer = w.syncer()  # one Syncer, as in the service: it knows its own writes' echoes
        syncer.run("calendar")
        _share(w)
        card_id = w.values()[1][-1]
        _edit(w, _row_of(w, card_id), "Date", "2026-12-24 18:30")
        _edit(w, _row_of(w, card_id), "Status", "Published")
        assert syncer.run("calendar").outcome == "ok"
        assert _card(w, card_id)["due"] == "2026-12-24T17:30:00.000Z"
        feed = w.store.load_feed("calendar")
        assert feed is not None
        (event,) = [e for e in feed["events"] if e["id"] == card_id]
        assert (event["start"], event["list"]) == ("2026-12-24T17:30:00+00:00", "Published")
        grid = w.values("Calendar view")
        assert any("18:30" in cell for row in grid for cell in row), grid
        w.clear_logs()
        assert syncer.run("calendar").outcome == "noop"  # the echo: nothing left to write
        assert w.calls() == {"trello": 1, "sheets_read": 1}


EVERY_KIND = """
      - {header: Title, field: name, two_way: true}
      - {header: Details, field: desc, two_way: true}
      - {header: Start, field: start, two_way: true}
      - {header: Done, field: dueComplete, two_way: true}
      - {header: Network, field: labels, two_way: true}
      - {header: Owners, field: members, two_way: true}
      - {header: Budget, field: "custom:Budget", two_way: true}
      - {header: Brief, field: "custom:Brief", two_way: true}
      - {header: Approved, field: "custom:Approved", two_way: true}
      - {header: Go-live, field: "custom:Go-live", two_way: true}
"""


def test_every_two_way_field_kind_reaches_trello_through_the_emulator(tmp_path: Path) -> None:
    with world(tmp_path, cards=1) as w:
        t = w.trello
        fields = {
            name: t.create_custom_field(w.board_id, name, kind)["id"]
            for name, kind in (
                ("Budget", "number"),
                ("Brief", "text"),
                ("Approved", "checkbox"),
                ("Go-live", "date"),
            )
        }
        member = w.trello.board_snapshot(w.board_id)["members"][0]
        w.configure(columns=EVERY_KIND)
        w.sync()
        _share(w)
        (card_id,) = [row[-1] for row in w.values()[1:]]
        typed = {
            "Title": "Retitled", "Details": "Longer words", "Start": "2026-11-30", "Done": "TRUE",
            "Network": "linkedin, Instagram", "Owners": member["fullName"] or member["username"],
            "Budget": "1250.5", "Brief": "Short brief", "Approved": "TRUE", "Go-live": "2026-12-24 18:30",
        }  # fmt: skip
        headers = w.values()[0]
        answer = httpx.put(
            f"{w.sheets_url}/v4/spreadsheets/{w.spreadsheet_id}/values/Calendar!A2",
            params={"valueInputOption": "USER_ENTERED"},
            headers={"Authorization": f"Bearer user:{EDITOR}"},
            json={"values": [[typed[h] for h in headers[:-1]]]},
        )
        assert answer.status_code == 200, answer.text
        w.clear_logs()
        w.sync()
        # the read, the token's member, one PUT, one item per custom field
        assert w.calls()["trello"] == 1 + 1 + 1 + len(fields)
        card = _card(w, card_id)
        assert (card["name"], card["desc"], card["dueComplete"]) == ("Retitled", "Longer words", True)
        assert card["start"] == "2026-11-29T23:00:00.000Z"
        labels = {label["id"]: label["name"] for label in w.trello.board_snapshot(w.board_id)["labels"]}
        assert [labels[i] for i in card["idLabels"]] == ["LinkedIn", "Instagram"]
        assert card["idMembers"] == [member["id"]]
        items = {i["idCustomField"]: i["value"] for i in card["customFieldItems"]}
        assert items[fields["Budget"]] == {"number": "1250.5"}
        assert items[fields["Brief"]] == {"text": "Short brief"}
        assert items[fields["Approved"]] == {"checked": "true"}
        assert items[fields["Go-live"]] == {"date": "2026-12-24T17:30:00.000Z"}
        w.clear_logs()
        assert w.sync().outcome == "noop"
        assert w.calls() == {"trello": 1, "sheets_read": 1}


def test_the_change_log_names_the_editor_a_verified_hint_named(tmp_path: Path) -> None:
    # The instant hint (or Drive's last modifier) names who typed; without one the log says "the sheet".
    with world(tmp_path, cards=2) as w:
        card_id = _setup(w)[0]
        w.store.note_sheet_edit("calendar", EDITOR, "A2")  # what POST /webhooks/sheets records
        _edit(w, _row_of(w, card_id), "Status", "review")
        editors = Attribution(w.store, None, lambda pair: w.spreadsheet_id)
        syncer = Syncer(w.config, w.trello, w.sheets, w.store, editors=editors)
        assert syncer.run("calendar").outcome == "ok"
        logged = {(c.field, c.member, c.after) for c in w.store.recent_changes("calendar")}
        assert ("list", EDITOR, "Review") in logged


def test_plan_says_a_date_typed_as_text_becomes_a_date_again(tmp_path: Path) -> None:
    with world(tmp_path, cards=1) as w:
        card_id = _setup(w)[0]
        row = _row_of(w, card_id)
        shown = w.values()[row][HEADERS.index("Date")]
        _edit(w, row, "Date", f"'{shown}")  # the same date, typed as text (a leading apostrophe)
        lines = [line for line in plan_lines(w.syncer().preview("calendar")) if line["column"] == "Date"]
        assert [(line["change"], line["before"], line["after"]) for line in lines] == [
            (
                "update",
                f"{shown} (typed as text)",
                f"{shown} (as {'a date and time' if ':' in shown else 'a date'})",
            )
        ]
