"""Noticing sheet edits end to end: another Google user's write reaches the service as a Drive push or an
instant hint, and a run of the pair follows; forged signals run nothing."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from app.runtime.sheet_hints import pair_key
from tests.support.service_world import PAIR, Service, service
from tests.support.trello_emulator import SECRET
from tests.support.waiting import wait_until

STAKEHOLDER = "stakeholder@example.org"


def edit_as_stakeholder(s: Service, value: str) -> None:
    """A Google user (not the service) types into a free cell of the tab, as in the browser."""
    url = f"{s.w.sheets_url}/v4/spreadsheets/{s.w.spreadsheet_id}/values/Calendar!Z3?valueInputOption=RAW"
    answer = httpx.put(
        url, json={"values": [[value]]}, headers={"Authorization": f"Bearer user:{STAKEHOLDER}"}
    )
    assert answer.status_code == 200, answer.text


def share_with_stakeholder(s: Service) -> None:
    body = {"type": "user", "role": "writer", "emailAddress": STAKEHOLDER}
    url = f"{s.w.sheets_url}/drive/v3/files/{s.w.spreadsheet_id}/permissions?sendNotificationEmail=false"
    assert httpx.post(url, json=body, headers={"Authorization": "Bearer test-world"}).status_code == 200


def runs_for(s: Service, reason: str) -> bool:
    h = s.coordinator.health
    return (
        h.last_request_reason == reason
        and h.last_run_started is not None
        and (h.last_run_started >= (h.last_request or 0))
    )


def channel_open(s: Service) -> bool:
    return any(c.resource_id for c in s.services.store.drive_channels(s.w.spreadsheet_id))


def pair_status(s: Service) -> dict[str, object]:
    (found,) = [p for p in s.status()["pairs"] if p["name"] == PAIR]
    edits: dict[str, object] = found["sheet_edits"]
    return edits


def test_another_users_write_is_pushed_by_drive_and_runs_the_pair(tmp_path: Path) -> None:
    with service(tmp_path, cards=3, drive=True) as s:
        # A short coalescing delay, set before any change arms a delivery at Google's ~3 minutes.
        assert httpx.put(f"{s.w.sheets_url}/_emulator/push", json={"delay": 0.2}).status_code == 200
        wait_until(lambda: channel_open(s), "the Drive channel")
        assert pair_status(s)["mode"] == "drive_push"
        share_with_stakeholder(s)
        runs_before = s.coordinator.health.runs
        edit_as_stakeholder(s, "looks good")
        wait_until(lambda: runs_for(s, "drive") and s.coordinator.health.runs > runs_before, "a Drive run")
        who = s.services.edits.attribution.editor(PAIR)
        assert who is not None and (who.email, who.approximate) == (STAKEHOLDER, True)


def test_forged_drive_push_and_forged_hint_are_401_and_run_nothing(tmp_path: Path) -> None:
    with service(tmp_path, cards=3, drive=True) as s:
        wait_until(lambda: channel_open(s), "the Drive channel")
        (channel,) = s.services.store.drive_channels(s.w.spreadsheet_id)
        s.settle()
        before = s.coordinator.health.last_request
        forged = {
            "X-Goog-Channel-ID": channel.channel_id,
            "X-Goog-Channel-Token": "guessed",
            "X-Goog-Resource-ID": channel.resource_id or "",
            "X-Goog-Resource-State": "update",
        }
        assert httpx.post(s.url + "/webhooks/drive", headers=forged).status_code == 401
        body = b'{"spreadsheetId":"x","sheetName":"Calendar","range":"A1","editor":"mallory@example.org"}'
        headers = {"X-Boardsheet-Signature": "sha256=" + "0" * 64}
        answer = httpx.post(s.url + "/webhooks/sheets?pair=" + PAIR, content=body, headers=headers)
        assert answer.status_code == 401
        assert answer.json()["error"]["code"] == "bad_signature"
        assert s.coordinator.health.last_request == before
        assert s.services.store.last_sheet_edit(PAIR) is None


@pytest.mark.parametrize("named", [True, False])
def test_an_instant_hint_runs_the_pair_and_names_the_editor(tmp_path: Path, named: bool) -> None:
    with service(tmp_path, cards=3) as s:
        share_with_stakeholder(s)
        url = s.url + "/webhooks/sheets" + (f"?pair={PAIR}" if named else "")
        hints = {"url": url, "secret": pair_key(SECRET, PAIR)}
        assert httpx.put(f"{s.w.sheets_url}/_emulator/hints", json=hints).status_code == 200
        edit_as_stakeholder(s, "approved")
        wait_until(lambda: runs_for(s, "sheet-edit"), "a run asked for by the hint")
        who = s.services.edits.attribution.editor(PAIR)
        assert who is not None and (who.email, who.approximate) == (STAKEHOLDER, False)
        assert pair_status(s)["mode"] == "instant"


TWO_WAY = """
      - {header: Date, field: due, two_way: true}
      - {header: Title, field: name}
      - {header: Status, field: list, two_way: true}
      - {header: Link, field: url}
"""


@pytest.mark.parametrize("signal", ["drive", "hint"])
def test_a_stakeholders_list_edit_moves_the_card_and_the_log_names_them(tmp_path: Path, signal: str) -> None:
    # Issue 10's end to end: another Google user types a date and a list in two-way columns; Drive's push
    # (or the instant hint) asks for a run; the run moves the card in Trello, and the change log names the
    # editor: exactly from the hint, approximately from Drive's last modifier.
    with service(tmp_path, cards=3, drive=signal == "drive", columns=TWO_WAY) as s:
        if signal == "drive":
            assert httpx.put(f"{s.w.sheets_url}/_emulator/push", json={"delay": 0.2}).status_code == 200
            wait_until(lambda: channel_open(s), "the Drive channel")
        else:
            hints = {"url": s.url + "/webhooks/sheets", "secret": pair_key(SECRET, PAIR)}
            assert httpx.put(f"{s.w.sheets_url}/_emulator/hints", json=hints).status_code == 200
        share_with_stakeholder(s)
        rows = s.w.values()
        row = next(i for i, r in enumerate(rows) if i > 0 and r[2] != "Review")
        card_id = rows[row][-1]
        url = f"{s.w.sheets_url}/v4/spreadsheets/{s.w.spreadsheet_id}/values:batchUpdate"
        body = {
            "valueInputOption": "USER_ENTERED",
            "data": [
                {"range": f"Calendar!A{row + 1}", "values": [["2026-12-24"]]},
                {"range": f"Calendar!C{row + 1}", "values": [["Review"]]},
            ],
        }  # one edit of two cells, as a paste in the browser
        answer = httpx.post(url, json=body, headers={"Authorization": f"Bearer user:{STAKEHOLDER}"})
        assert answer.status_code == 200, answer.text

        def moved() -> bool:
            with s.w.trello_client() as client:
                card = client.get(f"/1/cards/{card_id}").json()
            return bool(card["idList"] == s.w.ids["Review"] and card["due"] == "2026-12-23T23:00:00.000Z")

        wait_until(moved, "the card moved to Review, due on 24 December")
        # Only a verified hint gives the exact name: the log proves which signal brought the edit.
        who = f"~{STAKEHOLDER} (approximate)" if signal == "drive" else STAKEHOLDER
        expected = {("list", who, "Review"), ("due", who, "2026-12-23T23:00:00.000Z")}
        # The run writes Trello first and its change log when it ends: the card may move a moment before.
        wait_until(
            lambda: expected <= {(c.field, c.member, c.after) for c in s.w.store.recent_changes(PAIR)},
            "the change log naming the editor",
        )
