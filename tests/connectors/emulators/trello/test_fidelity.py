"""Trello behaviours other clients rely on (issue 8 §4), each against recorded or documented behaviour.

Sources are in docs/emulators.md and in the module docstrings of the emulator code under test.
"""

from __future__ import annotations

import httpx
import pytest

from tests.support.trello_emulator import KEY, OPS, TrelloEmulator

pytestmark = pytest.mark.http  # the emulator over loopback


def board_with_card(c: httpx.Client, name: str = "Plan") -> tuple[str, str, str]:
    """A board with one list holding one card: (board, list, card) ids."""
    board = c.post("/1/boards", data={"name": name, "defaultLists": "false"}).json()["id"]
    lst = c.post("/1/lists", data={"name": "Todo", "idBoard": board}).json()["id"]
    card = c.post("/1/cards", data={"idList": lst, "name": "Launch"}).json()["id"]
    return board, lst, card


def test_removing_a_board_member_takes_them_off_its_cards(emulator: TrelloEmulator) -> None:
    with emulator.client() as c:
        board, _, card = board_with_card(c)
        bob = c.get("/1/members/bob").json()["id"]
        c.put(f"/1/boards/{board}/members/{bob}", params={"type": "normal"})
        c.post(f"/1/cards/{card}/idMembers", data={"value": bob})
        assert c.get(f"/1/cards/{card}").json()["idMembers"] == [bob]
        c.delete(f"/1/boards/{board}/members/{bob}")
        assert c.get(f"/1/cards/{card}").json()["idMembers"] == []


def test_moving_a_card_to_another_board(emulator: TrelloEmulator) -> None:
    with emulator.client() as c:
        source, _, card = board_with_card(c, "Source")
        label = c.post("/1/labels", data={"name": "Blog", "color": "green", "idBoard": source}).json()["id"]
        c.post(f"/1/cards/{card}/idLabels", data={"value": label})
        target = c.post("/1/boards", data={"name": "Target"}).json()["id"]
        first, second = [x["id"] for x in c.get(f"/1/boards/{target}/lists").json()[:2]]
        before = c.get(f"/1/cards/{card}").json()
        moved = c.put(f"/1/cards/{card}/idBoard", data={"value": target}).json()
        assert (moved["idBoard"], moved["idList"], moved["idShort"]) == (target, first, before["idShort"])
        assert moved["idLabels"] == []  # the source board's labels stay there
        again = c.put(f"/1/cards/{card}", data={"idBoard": source, "idList": "nope"})
        assert again.status_code == 400
        elsewhere = c.put(f"/1/cards/{card}", data={"idList": second}).json()
        assert elsewhere["idList"] == second
        away = c.get(f"/1/boards/{source}/actions", params={"filter": "moveCardFromBoard"}).json()
        here = c.get(f"/1/boards/{target}/actions", params={"filter": "moveCardToBoard"}).json()
    assert away[0]["data"]["boardTarget"]["id"] == target
    assert here[0]["data"]["boardSource"]["id"] == source
    assert here[0]["data"]["board"]["id"] == target


def test_list_options_are_added_and_deleted_and_cards_lose_a_deleted_one(emulator: TrelloEmulator) -> None:
    with emulator.client() as c:
        board, _, card = board_with_card(c)
        field = c.post(
            "/1/customFields", json={"idModel": board, "name": "Stage", "type": "list", "options": ["Draft"]}
        ).json()
        added = c.post(f"/1/customFields/{field['id']}/options", data={"value[text]": "Final"})
        option = added.json()
        assert set(option) == {"id", "idCustomField", "value", "color", "pos"}
        listed = c.get(f"/1/customFields/{field['id']}/options").json()
        assert [o["value"]["text"] for o in listed] == ["Draft", "Final"] and "_id" in listed[0]
        c.put(f"/1/cards/{card}/customField/{field['id']}/item", json={"idValue": option["id"]})
        item = c.get(f"/1/cards/{card}/customFieldItems").json()
        assert [i.get("idValue") for i in item] == [option["id"]] and "value" not in item[0]
        assert c.delete(f"/1/customFields/{field['id']}/options/{option['id']}").json() == {}
        assert c.get(f"/1/cards/{card}/customFieldItems").json() == []
        assert c.get(f"/1/customFields/{field['id']}/options/{option['id']}").status_code == 404


def test_attachments_stickers_and_plugin_data(emulator: TrelloEmulator) -> None:
    with emulator.client() as c:
        board, _, card = board_with_card(c)
        for part in ("pluginData", "attachments", "stickers"):
            assert c.get(f"/1/cards/{card}/{part}").json() == []
        link = c.post(
            f"/1/cards/{card}/attachments", data={"url": "https://example.org/brief", "name": "Brief"}
        ).json()
        assert (link["name"], link["isUpload"], link["bytes"]) == ("Brief", False, None)
        upload = c.post(f"/1/cards/{card}/attachments", files={"file": ("notes.txt", b"hello")}).json()
        assert (upload["isUpload"], upload["bytes"], upload["fileName"]) == (True, 5, "notes.txt")
        assert c.get(f"/1/cards/{card}").json()["badges"]["attachments"] == 2
        with_them = c.get(f"/1/cards/{card}", params={"attachments": "true", "fields": "name"}).json()
        assert [a["name"] for a in with_them["attachments"]] == ["Brief", "notes.txt"]
        cards = c.get(f"/1/boards/{board}/cards", params={"attachments": "true"}).json()
        assert len(cards[0]["attachments"]) == 2
        nested = c.get(f"/1/boards/{board}", params={"cards": "open", "card_attachments": "true"}).json()
        assert len(nested["cards"][0]["attachments"]) == 2
        assert c.delete(f"/1/cards/{card}/attachments/{link['id']}").json() == {"limits": {}}
        sticker = c.post(f"/1/cards/{card}/stickers", data={"image": "taco-cool", "top": 1, "left": 2}).json()
        assert c.get(f"/1/cards/{card}/stickers").json()[0]["id"] == sticker["id"]


def test_a_board_copied_from_another(emulator: TrelloEmulator) -> None:
    with emulator.client() as c:
        source, _, _ = board_with_card(c, "Template")
        c.post("/1/labels", data={"name": "Blog", "color": "green", "idBoard": source})
        plain = c.post("/1/boards", data={"name": "Copy", "idBoardSource": source}).json()
        assert plain["idBoardSource"] == source
        assert [x["name"] for x in c.get(f"/1/boards/{plain['id']}/lists").json()] == ["Todo"]
        labels = c.get(f"/1/boards/{source}/labels").json()
        copied_labels = c.get(f"/1/boards/{plain['id']}/labels").json()
        assert sorted((x["name"], x["color"]) for x in copied_labels) == sorted(
            (x["name"], x["color"]) for x in labels
        )
        assert c.get(f"/1/boards/{plain['id']}/cards").json() == []
        full = c.post(
            "/1/boards", data={"name": "Copy 2", "idBoardSource": source, "keepFromSource": "cards"}
        ).json()
        copied = c.get(f"/1/boards/{full['id']}/cards").json()
        assert [x["name"] for x in copied] == ["Launch"] and copied[0]["idBoard"] == full["id"]
        actions = c.get(f"/1/boards/{full['id']}/actions").json()
    assert actions[0]["type"] == "copyBoard"


def test_per_field_puts_and_last_activity(emulator: TrelloEmulator) -> None:
    with emulator.client() as c:
        board, _, card = board_with_card(c)
        c.put(f"/1/boards/{board}/name", data={"value": "Renamed"})
        closed = c.put(f"/1/boards/{board}/closed", json={"value": True}).json()
        assert (closed["name"], closed["closed"]) == ("Renamed", True)
        assert (
            c.put(f"/1/boards/{board}/nonsense", data={"value": 1}).text
            == f"Cannot PUT /1/boards/{board}/nonsense"
        )
        last = c.get(f"/1/boards/{board}/dateLastActivity").json()["_value"]
        assert last == c.get(f"/1/boards/{board}/actions").json()[0]["date"]
        checklist = c.post(f"/1/cards/{card}/checklists", data={"name": "Steps"}).json()["id"]
        assert (
            c.put(f"/1/checklists/{checklist}/name", json={"value": "Done steps"}).json()["name"]
            == "Done steps"
        )
        item = c.post(f"/1/checklists/{checklist}/checkItems", data={"name": "one"}).json()["id"]
        path = f"/1/cards/{card}/checklist/{checklist}/checkItem/{item}"
        assert c.put(path, data={"state": "complete"}).json()["state"] == "complete"
        c.delete(f"/1/checklists/{checklist}/checkItems/{item}")
        assert c.get(f"/1/checklists/{checklist}").json()["checkItems"] == []
        assert c.delete(f"/1/boards/{board}").json() == {"_value": None}
        assert c.get(f"/1/boards/{board}").status_code == 404


def test_trellos_path_rules_and_unknown_routes(emulator: TrelloEmulator) -> None:
    with emulator.client() as c:
        assert c.get("/1//members/me").json()["username"] == "ops"  # // is /
        board = c.post("/1/boards", data={"name": "Rules"}).json()["id"]
        assert len(c.get(f"/1/board/{board}/LISTS").json()) == 3  # singular alias, any case
        unknown = c.get("/1/elephants", params={"x": "1"})
    assert unknown.status_code == 404
    assert unknown.headers["content-type"].startswith("text/plain")
    assert unknown.text == f"Cannot GET /1/elephants?key={KEY}&token={OPS}&x=1"  # Trello echoes the target
    wrong_method = httpx.patch(f"{emulator.url}/1/members/me", params={"key": KEY, "token": OPS})
    assert (wrong_method.status_code, wrong_method.text) == (
        404,
        f"Cannot PATCH /1/members/me?key={KEY}&token={OPS}",
    )


def test_key_and_token_in_a_json_or_form_body(emulator: TrelloEmulator) -> None:
    with httpx.Client(base_url=emulator.url) as c:
        created = c.post("/1/boards", json={"name": "Body auth", "key": KEY, "token": OPS})
        assert created.status_code == 200
        assert created.json()["name"] == "Body auth"
        form = c.post("/1/boards", data={"name": "Form auth", "key": KEY, "token": OPS})
        assert form.status_code == 200
        assert c.post("/1/boards", json={"name": "x", "key": KEY, "token": "nope"}).text == "invalid token"


def test_stars_and_search(emulator: TrelloEmulator) -> None:
    with emulator.client() as c:
        board = c.post("/1/boards", data={"name": "Editorial calendar"}).json()["id"]
        star = c.post("/1/members/me/boardStars", data={"idBoard": board, "pos": "top"}).json()
        assert c.get("/1/members/me/boardStars").json() == [star]
        found = c.get("/1/search", params={"query": "editorial"}).json()
        assert [b["id"] for b in found["boards"]] == [board]
        c.delete(f"/1/members/me/boardStars/{star['id']}")
        assert c.get("/1/members/me/boardStars").json() == []


def test_a_position_must_be_a_finite_positive_number(emulator: TrelloEmulator) -> None:
    # "top, bottom, or a positive float" (Trello's reference for POST /1/cards); inf and NaN used to be
    # stored and rendered as null, and a NaN position left the board's order undefined.
    with emulator.client() as c:
        _, lst, card = board_with_card(c)
        for pos in ("inf", "nan", "-5", "-Infinity"):
            created = c.post("/1/cards", data={"idList": lst, "name": "x", "pos": pos})
            assert (created.status_code, created.text) == (400, "invalid value for pos"), pos
            assert c.put(f"/1/cards/{card}", data={"pos": pos}).status_code == 400, pos
        assert c.put(f"/1/cards/{card}", data={"pos": "12.5"}).json()["pos"] == 12.5
