"""The emulators' pages for people: index pages at their roots, the board page with Trello's label colours
and human dates, the sheet view refreshing itself with card links opening the emulator's board."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from connectors.emulators.serve import Emulators
from connectors.emulators.trello.colours import LABEL_COLOURS

pytestmark = pytest.mark.http
TRELLO = {"key": "emulator-key", "token": "token-ops"}


@pytest.fixture(scope="module")
def emulators() -> Iterator[Emulators]:
    with Emulators().start() as running:
        yield running


def _board(emulators: Emulators) -> tuple[dict[str, str], dict[str, str]]:
    """A board with a `sky` and a `black_dark` label, and one card due on a date at 09:30 UTC."""
    with httpx.Client(base_url=emulators.trello_url, params=TRELLO) as trello:
        board = trello.post("/1/boards", params={"name": "Views", "defaultLists": "false"}).json()
        lst = trello.post("/1/lists", params={"name": "Ideas", "idBoard": board["id"]}).json()
        sky = trello.post("/1/labels", params={"name": "Social", "color": "sky", "idBoard": board["id"]})
        # The API takes the ten base names; boards also hold the _light/_dark tones set in Trello's UI.
        state = emulators.trello_app.state.trello
        with state.lock:
            dark = state.new_id()
            state.labels[dark] = {"id": dark, "idBoard": board["id"], "name": "Paid", "color": "black_dark"}
        labels = [sky.json()["id"], dark]
        card = trello.post(
            "/1/cards",
            params={"name": "Launch", "idList": lst["id"], "due": "2026-12-01T09:30:00.000Z",
                    "idLabels": ",".join(labels)},
        ).json()  # fmt: skip
    return board, card


def test_the_roots_answer_a_small_index_page(emulators: Emulators) -> None:
    board, _ = _board(emulators)
    trello = httpx.get(emulators.trello_url + "/")
    assert trello.status_code == 200 and "Trello emulator" in trello.text
    assert f'href="/b/{board["shortLink"]}"' in trello.text
    sheets_app = emulators.sheets_app.state.sheets
    with sheets_app.lock:
        book = sheets_app.create({"properties": {"title": "Plan"}})
    sheets = httpx.get(emulators.sheets_url + "/")
    assert sheets.status_code == 200 and f"/view/{book.spreadsheet_id}" in sheets.text


def test_every_label_colour_renders_and_dates_are_human(emulators: Emulators) -> None:
    board, _ = _board(emulators)
    page = httpx.get(f"{emulators.trello_url}/b/{board['shortLink']}").text
    assert (
        f"background:{LABEL_COLOURS['sky']}" in page and f"background:{LABEL_COLOURS['black_dark']}" in page
    )
    assert "background:sky" not in page and "background:black_dark" not in page
    assert "due Tue 1 Dec 2026, 09:30 UTC" in page
    names = {f"{base}{tone}" for base in ("green", "yellow", "orange", "red", "purple", "blue", "sky", "lime",
                                          "pink", "black") for tone in ("", "_light", "_dark")}  # fmt: skip
    assert set(LABEL_COLOURS) == names


def test_card_links_in_the_sheet_view_open_the_emulators_board_page(emulators: Emulators) -> None:
    board, card = _board(emulators)
    state = emulators.sheets_app.state.sheets
    with state.lock:
        book = state.create({"properties": {"title": "Calendar"}})
    link = f"https://trello.com/c/{card['shortLink']}/1-launch"
    cell = {"userEnteredValue": {"stringValue": "Launch"},
            "userEnteredFormat": {"textFormat": {"link": {"uri": link}}}}  # fmt: skip
    answer = httpx.post(
        f"{emulators.sheets_url}/v4/spreadsheets/{book.spreadsheet_id}:batchUpdate",
        headers={"Authorization": "Bearer test"},
        json={"requests": [{"updateCells": {"range": {"sheetId": book.sheets[0].sheet_id},
                                            "rows": [{"values": [cell]}], "fields": "*"}}]},
    )  # fmt: skip
    assert answer.status_code == 200, answer.text
    view = httpx.get(f"{emulators.sheets_url}/view/{book.spreadsheet_id}").text
    assert "http-equiv='refresh'" in view  # the stakeholder's view follows the sync by itself
    opened = f"{emulators.trello_url}/c/{card['shortLink']}/1-launch"
    assert f'href="{opened}"' in view
    landed = httpx.get(opened, follow_redirects=False)
    assert landed.status_code in (302, 307)
    assert landed.headers["location"] == f"/b/{board['shortLink']}#card-{card['shortLink']}"
