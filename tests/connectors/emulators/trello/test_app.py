"""The Trello emulator behaves as Trello does: auth, py-trello, actions, webhooks, rate limits, view."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime

import httpx
import pytest
from trello import TrelloClient

from connectors.emulators.common import Faults
from connectors.emulators.trello.app import seed_from_dict
from connectors.emulators.trello.webhooks import sign
from tests.support.trello_emulator import (
    ALICE,
    KEY,
    OPS,
    SECRET,
    EmulatorSession,
    Receiver,
    TrelloEmulator,
    running_trello,
)

pytestmark = pytest.mark.http  # the emulator over loopback


def _board(emu: TrelloEmulator, token: str = OPS) -> tuple[str, str, str]:
    """A board with two lists; returns (board, first list, second list) ids."""
    with emu.client(token) as c:
        board = c.post("/1/boards", data={"name": "Plan", "defaultLists": "false"}).json()["id"]
        first = c.post("/1/lists", data={"name": "Todo", "idBoard": board}).json()["id"]
        second = c.post("/1/lists", data={"name": "Done", "idBoard": board, "pos": "bottom"}).json()["id"]
    return board, first, second


def test_signature_matches_the_recorded_vector() -> None:
    body = b'{"action":{"type":"createCard"}}'
    assert (
        sign("test-app-secret", body, "https://example.com/trello/webhook") == "V5CYSZ5Q2tVNC0bfW0qEXMJjCJA="
    )


def test_auth_failures_answer_401_plain_text(emulator: TrelloEmulator) -> None:
    with emulator.client() as c:
        bad_key = c.get("/1/members/me", params={"key": "nope"})
        bad_token = c.get("/1/members/me", params={"token": "nope"})
        no_auth = c.get("/1/members/me", params={"key": "", "token": ""})
    assert (bad_key.status_code, bad_key.text) == (401, "invalid key")
    assert (bad_token.status_code, bad_token.text) == (401, "invalid token")
    assert bad_key.headers["content-type"].startswith("text/plain")
    assert no_auth.status_code == 401


def test_oauth_header_authenticates_as_the_tokens_member(emulator: TrelloEmulator) -> None:
    header = f'OAuth oauth_consumer_key="{KEY}", oauth_token="{ALICE}", oauth_signature="x"'
    me = json.loads(_get(emulator, "/1/members/me", header))
    assert (me["username"], me["fullName"]) == ("alice", "Alice Martin")


def _get(emu: TrelloEmulator, path: str, auth: str) -> str:
    return httpx.get(emu.url + path, headers={"Authorization": auth}).text


def test_ids_carry_creation_time_and_dates_have_ms_and_z(emulator: TrelloEmulator) -> None:
    _, first, _ = _board(emulator)
    with emulator.client() as c:
        card = c.post(
            "/1/cards", json={"idList": first, "name": "x", "due": "2024-03-01T10:00:00+02:00"}
        ).json()
    created = int(card["id"][:8], 16)
    assert abs(created - datetime.now(UTC).timestamp()) < 3600
    assert card["due"] == "2024-03-01T08:00:00.000Z"
    assert card["dateLastActivity"].endswith("Z") and len(card["dateLastActivity"]) == 24


def test_actions_record_member_creator_and_old_values(emulator: TrelloEmulator) -> None:
    board, first, second = _board(emulator)
    with emulator.client(ALICE) as c:
        card = c.post("/1/cards", data={"idList": first, "name": "Launch"}).json()
        c.put(f"/1/cards/{card['id']}", params={"idList": second, "due": "2024-05-01T00:00:00Z"})
        actions = c.get(f"/1/boards/{board}/actions", params={"filter": "updateCard,createCard"}).json()
    kinds = [a["type"] for a in actions]
    assert kinds.count("updateCard") == 2 and kinds[-1] == "createCard"
    move = next(a for a in actions if "listAfter" in a["data"])
    assert move["data"]["old"] == {"idList": first}
    assert (move["data"]["listBefore"]["id"], move["data"]["listAfter"]["id"]) == (first, second)
    assert {a["memberCreator"]["username"] for a in actions} == {"alice"}


def test_nested_board_read_returns_everything_in_one_request(emulator: TrelloEmulator) -> None:
    ids = seed_from_dict(
        emulator.ctx,
        {
            "boards": [
                {
                    "name": "Social",
                    "labels": [{"name": "Blog", "color": "green"}],
                    "customFields": [{"name": "Channel", "type": "list", "options": ["X", "Y"]}],
                    "lists": [{"name": "Drafting", "cards": [{"name": "Post", "labels": ["Blog"]}]}],
                }
            ]
        },
    )
    with emulator.client() as c:
        field = c.get(f"/1/customFields/{ids['Channel']}").json()
        c.put(
            f"/1/card/{ids['Post']}/customField/{field['id']}/item",
            json={"idValue": field["options"][0]["id"]},
        )
        emulator.app.state.request_log.clear()
        params = {"cards": "all", "lists": "all", "labels": "all", "members": "all", "customFields": "true"}
        params |= {
            "card_customFieldItems": "true",
            "checklists": "all",
            "fields": "name,url,shortLink,closed",
        }
        snap = c.get(f"/1/boards/{ids['Social']}", params=params).json()
    assert len(emulator.app.state.request_log.snapshot()) == 1
    assert set(snap) >= {"id", "name", "cards", "lists", "labels", "members", "customFields", "checklists"}
    card = snap["cards"][0]
    assert card["labels"][0]["name"] == "Blog" and isinstance(card["pos"], float)
    assert card["customFieldItems"][0]["idValue"] == field["options"][0]["id"]


def test_custom_field_values_are_strings(emulator: TrelloEmulator) -> None:
    board, first, _ = _board(emulator)
    with emulator.client() as c:
        card = c.post("/1/cards", data={"idList": first, "name": "n"}).json()
        number = c.post(
            "/1/customFields", json={"idModel": board, "modelType": "board", "name": "N", "type": "number"}
        ).json()
        check = c.post(
            "/1/customFields", json={"idModel": board, "modelType": "board", "name": "C", "type": "checkbox"}
        ).json()
        c.put(f"/1/cards/{card['id']}/customField/{number['id']}/item", json={"value": {"number": 3}})
        c.put(f"/1/cards/{card['id']}/customField/{check['id']}/item", json={"value": {"checked": True}})
        items = c.get(f"/1/cards/{card['id']}/customFieldItems").json()
        bad = c.put(f"/1/cards/{card['id']}/customField/{number['id']}/item", json={"value": {"text": "x"}})
    assert sorted(i["value"].popitem()[1] for i in items) == ["3", "true"]
    assert bad.status_code == 400


def test_py_trello_drives_the_emulator(emulator: TrelloEmulator) -> None:
    client = TrelloClient(api_key=KEY, token=OPS, http_service=EmulatorSession(emulator.url))
    board = client.add_board("Calendar", default_lists=False)
    todo, done = board.add_list("Todo"), board.add_list("Done")
    card = todo.add_card("Write post", desc="draft")
    card.change_list(done.id)
    card.set_due(datetime(2024, 6, 1, 9, 30, tzinfo=UTC))
    label = board.add_label("Blog", "green")
    card.add_label(label)
    again = client.get_card(card.id)
    assert again.idList == done.id and again.due == "2024-06-01T09:30:00.000Z"
    assert [x.name for x in again.labels] == ["Blog"]
    assert [x.name for x in board.list_lists()] == ["Todo", "Done"]
    assert [c.name for c in board.all_cards()] == ["Write post"]
    assert client.get_member("me").username == "ops"


def test_webhooks_deliver_signed_bodies(emulator: TrelloEmulator, receiver: Receiver) -> None:
    board, first, _ = _board(emulator)
    client = TrelloClient(api_key=KEY, token=OPS, http_service=EmulatorSession(emulator.url))
    hook = client.create_hook(receiver.url, board, desc="sync")
    with emulator.client() as c:
        c.post("/1/cards", data={"idList": first, "name": "Hello"})
        duplicate = c.post("/1/webhooks", data={"callbackURL": receiver.url, "idModel": board})
        listed = c.get(f"/1/tokens/{OPS}/webhooks").json()
    assert emulator.ctx.dispatcher.drain()
    body, headers = receiver.received[0]
    envelope = json.loads(body)
    assert set(envelope) == {"action", "model", "webhook"} and envelope["action"]["type"] == "createCard"
    assert envelope["model"]["id"] == board and envelope["webhook"]["id"] == hook.id
    expected = base64.b64encode(
        hmac.new(SECRET.encode(), body + receiver.url.encode(), hashlib.sha1).digest()
    )
    assert headers["x-trello-webhook"] == expected.decode()
    assert (duplicate.status_code, duplicate.text) == (
        400,
        "A webhook with that callback, model, and token already exists",
    )
    assert [h["id"] for h in listed] == [hook.id]


def test_webhook_creation_needs_a_200_head(emulator: TrelloEmulator, receiver: Receiver) -> None:
    board, _, _ = _board(emulator)
    refused = receiver.url.replace("/hook", "/refuse")
    with emulator.client() as c:
        answer = c.post("/1/webhooks", data={"callbackURL": refused, "idModel": board})
    assert answer.status_code == 400
    assert answer.text == f"URL ({refused}) did not return 200 status code, got 404"


def test_failed_deliveries_are_retried_and_counted(emulator: TrelloEmulator, receiver: Receiver) -> None:
    board, first, _ = _board(emulator)
    receiver.script = [500, 500, 200]
    with emulator.client() as c:
        hook = c.post("/1/webhooks", data={"callbackURL": receiver.url, "idModel": board}).json()
        c.post("/1/cards", data={"idList": first, "name": "retry me"})
        assert emulator.ctx.dispatcher.drain()
        after_success = c.get(f"/1/webhooks/{hook['id']}").json()
        receiver.script = [500, 500, 500, 500]
        c.post("/1/cards", data={"idList": first, "name": "fail"})
        assert emulator.ctx.dispatcher.drain()
        after_failure = c.get(f"/1/webhooks/{hook['id']}").json()
    assert len(receiver.received) == 3 + 4
    assert after_success["consecutiveFailures"] == 0
    assert after_failure["consecutiveFailures"] == 4 and after_failure["firstConsecutiveFailDate"]


def test_a_410_answer_deletes_the_webhook(emulator: TrelloEmulator, receiver: Receiver) -> None:
    board, first, _ = _board(emulator)
    receiver.script = [410]
    with emulator.client() as c:
        hook = c.post("/1/webhooks", data={"callbackURL": receiver.url, "idModel": board}).json()
        c.post("/1/cards", data={"idList": first, "name": "gone"})
        assert emulator.ctx.dispatcher.drain()
        answer = c.get(f"/1/webhooks/{hook['id']}")
    assert len(receiver.received) == 1 and answer.status_code == 404


def test_rate_limit_per_token_with_headers() -> None:
    with running_trello() as emulator, emulator.client() as c:
        # One frozen window: no dependence on the machine's speed.
        emulator.app.state.rate_limiter.clock = lambda: 0.0
        answers = [c.get("/1/members/me") for _ in range(101)]
    assert answers[0].headers["x-rate-limit-api-token-remaining"] == "99"
    assert answers[0].headers["x-rate-limit-api-key-max"] == "300"
    assert [a.status_code for a in answers[:100]] == [200] * 100
    assert answers[100].status_code == 429
    assert answers[100].json() == {"error": "API_TOKEN_LIMIT_EXCEEDED", "message": "Rate limit exceeded"}


@pytest.mark.parametrize(
    ("faults", "status"), [(Faults(rate_limit_rate=1.0), 429), (Faults(error_rate=1.0), 503)]
)
def test_faults_are_injected(faults: Faults, status: int) -> None:
    with running_trello(faults=faults) as emulator:
        answer = httpx.get(emulator.url + "/1/members/me", params={"key": KEY, "token": OPS})
    assert answer.status_code == status
    if status == 429:
        assert answer.json() == {"error": "API_TOKEN_LIMIT_EXCEEDED", "message": "Rate limit exceeded"}
    assert emulator.app.state.request_log.snapshot()[-1]["status"] == status


def test_board_view_escapes_text(emulator: TrelloEmulator) -> None:
    board, first, _ = _board(emulator)
    with emulator.client() as c:
        c.post("/1/cards", data={"idList": first, "name": "<script>alert(1)</script>"})
        page = c.get(f"/b/{board}")
    assert page.status_code == 200
    assert "<script>alert" not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert page.text.index("Todo") < page.text.index("Done")


def test_errors_and_action_queries_answer_as_trello(emulator: TrelloEmulator) -> None:
    board, first, _ = _board(emulator)
    with emulator.client() as c:
        for name in ("a", "b", "c"):
            c.post("/1/cards", data={"idList": first, "name": name})
        missing = c.get("/1/cards/" + "0" * 24)
        malformed = c.get("/1/cards/nope")
        too_many = c.get(f"/1/boards/{board}/actions", params={"limit": 1001})
        nested = c.get(f"/1/boards/{board}", params={"actions": "createCard", "actions_limit": 2}).json()
        newest = nested["actions"][0]
        since = c.get(
            f"/1/boards/{board}/actions", params={"filter": "createCard", "since": newest["id"]}
        ).json()
    assert (missing.status_code, missing.text) == (404, "The requested resource was not found.")
    assert (malformed.status_code, malformed.text) == (400, "invalid id")
    assert too_many.status_code == 400
    assert [a["data"]["card"]["name"] for a in nested["actions"]] == ["c", "b"]
    assert since == []
