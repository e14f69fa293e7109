"""TrelloConnector against the Trello emulator over real HTTP: requests, budgets, faults and secrets."""

from __future__ import annotations

import logging
import time
import traceback
from typing import Any

import pytest
from fastapi import FastAPI
from trello import TrelloClient

from connectors.emulators.common import ServerThread
from connectors.errors import AuthError, BadResponse, ConnectorError, NotFound, RateLimited, Transient
from connectors.limits import RateLimiter
from connectors.trello.client import TrelloConnector
from connectors.trello.session import TrelloSession
from tests.support.trello_emulator import KEY, OPS, Receiver, TrelloEmulator

pytestmark = pytest.mark.http  # the Trello emulator over loopback

TOKEN = OPS
# Names, not literals, in the calls below: tracebacks quote source lines.
BAD_TOKEN = "token-nope"
BAD_KEY = "wrong-key"


@pytest.fixture
def board(trello_emulator: TrelloEmulator) -> dict[str, Any]:
    """A board with two lists, a label, a text and a list custom field, and one card."""
    conn = trello_emulator.connector()
    b = conn.create_board("Calendar")
    todo = conn.create_list(b["id"], "Todo")
    done = conn.create_list(b["id"], "Done")
    label = conn.create_label(b["id"], "Urgent", "red")
    channel = conn.create_custom_field(b["id"], "Channel", "text")
    stage = conn.create_custom_field(b["id"], "Stage", "list", ["Draft", "Final"])
    card = conn.create_card(todo["id"], "Launch post", desc="words", due="2026-12-01T10:00:00.000Z")
    return {
        "board": b,
        "todo": todo,
        "done": done,
        "label": label,
        "channel": channel,
        "stage": stage,
        "card": card,
    }


def card_in(snapshot: dict[str, Any], card_id: str) -> dict[str, Any]:
    return next(c for c in snapshot["cards"] if c["id"] == card_id)


def test_board_snapshot_is_exactly_one_request(
    trello_emulator: TrelloEmulator, board: dict[str, Any]
) -> None:
    conn = trello_emulator.connector()
    trello_emulator.clear()
    snapshot = conn.board_snapshot(board["board"]["id"])
    log = trello_emulator.requests()
    assert [(e["method"], e["path"]) for e in log] == [("GET", f"/1/boards/{board['board']['id']}")]
    assert conn.requests_made == 1
    assert {"name", "url", "shortLink", "closed", "cards", "lists", "labels", "members"} <= snapshot.keys()
    assert {"customFields", "checklists"} <= snapshot.keys()
    assert "desc" not in snapshot
    assert [lst["name"] for lst in snapshot["lists"]] == ["Todo", "Done"]
    assert {f["name"] for f in snapshot["customFields"]} == {"Channel", "Stage"}
    card = card_in(snapshot, board["card"]["id"])
    assert card["name"] == "Launch post"
    assert card["customFieldItems"] == []


def test_me_names_the_token_member(trello_emulator: TrelloEmulator) -> None:
    assert trello_emulator.connector(token="token-alice").me()["username"] == "alice"


def test_the_token_members_id_is_asked_once_per_connector(trello_emulator: TrelloEmulator) -> None:
    conn = trello_emulator.connector()
    member = conn.me()["id"]
    before = conn.requests_made
    assert conn.member_id() == member
    assert conn.member_id() == member
    assert conn.requests_made == before + 1


def test_a_forgotten_connector_closes_its_connections(trello_emulator: TrelloEmulator) -> None:
    import gc
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        connector = trello_emulator.connector()
        connector.me()  # leaves a kept-alive connection open
        del connector
        gc.collect()
    assert [w for w in caught if issubclass(w.category, ResourceWarning)] == []
    with trello_emulator.connector() as closing:
        assert closing.me()["username"] == "ops"


def test_card_update_custom_fields_and_labels(trello_emulator: TrelloEmulator, board: dict[str, Any]) -> None:
    conn = trello_emulator.connector()
    card_id, board_id = board["card"]["id"], board["board"]["id"]
    updated = conn.update_card(card_id, name="Launch post v2", idList=board["done"]["id"])
    assert (updated["name"], updated["idList"]) == ("Launch post v2", board["done"]["id"])
    conn.set_custom_field(card_id, board["channel"]["id"], {"text": "Blog"})
    final = next(o for o in board["stage"]["options"] if o["value"]["text"] == "Final")
    conn.set_custom_field(card_id, board["stage"]["id"], None, id_value=final["id"])
    conn.add_label(card_id, board["label"]["id"])
    card = card_in(conn.board_snapshot(board_id), card_id)
    items = {i["idCustomField"]: i for i in card["customFieldItems"]}
    assert items[board["channel"]["id"]]["value"] == {"text": "Blog"}
    assert items[board["stage"]["id"]]["idValue"] == final["id"]
    assert card["idLabels"] == [board["label"]["id"]]

    conn.set_custom_field(card_id, board["channel"]["id"], None)
    conn.set_custom_field(card_id, board["stage"]["id"], None)
    assert card_in(conn.board_snapshot(board_id), card_id)["customFieldItems"] == []


def test_delete_card_then_it_is_not_found(trello_emulator: TrelloEmulator, board: dict[str, Any]) -> None:
    conn = trello_emulator.connector()
    conn.delete_card(board["card"]["id"])
    assert conn.board_snapshot(board["board"]["id"])["cards"] == []
    with pytest.raises(NotFound) as raised:
        conn.update_card(board["card"]["id"], name="gone")
    assert raised.value.status == 404


def test_messages_name_lists_labels_fields_and_cards_the_board_read_named(
    trello_emulator: TrelloEmulator, board: dict[str, Any]
) -> None:
    # The run line and the logs quote these messages: "a new card in list 6b0ea…12" said nothing.
    todo, card = board["todo"]["id"], board["card"]["id"]
    fresh = trello_emulator.connector()
    trello_emulator.faults.error_rate = 1.0  # a POST is never resent after a 5xx: one request
    with pytest.raises(Transient, match=f"a new card in list {todo} "):
        fresh.create_card(todo, "Idea")  # never read the board: the id is all it knows
    trello_emulator.faults.error_rate = 0.0
    conn = trello_emulator.connector()
    conn.board_snapshot(board["board"]["id"])
    trello_emulator.faults.error_rate = 1.0
    with pytest.raises(Transient, match="a new card in list 'Todo' "):
        conn.create_card(todo, "Idea")
    trello_emulator.faults.error_rate = 0.0
    conn.delete_card(card)
    with pytest.raises(NotFound, match="Trello has no card 'Launch post' "):
        conn.update_card(card, name="gone")
    with pytest.raises(NotFound, match="label 'Urgent' on card 'Launch post'"):
        conn.add_label(card, board["label"]["id"])
    with pytest.raises(NotFound, match="custom field 'Channel' of card 'Launch post'"):
        conn.set_custom_field(card, board["channel"]["id"], {"text": "x"})
    made = conn.create_list(board["board"]["id"], "Ideas")  # what the connector creates, it names too
    trello_emulator.faults.error_rate = 1.0
    with pytest.raises(Transient, match="a new card in list 'Ideas' "):
        conn.create_card(made["id"], "Idea")


def test_unknown_board_is_not_found(trello_emulator: TrelloEmulator) -> None:
    with pytest.raises(NotFound):
        trello_emulator.connector().board_snapshot("5f1c0ffee0ddba11cafe0001")


def test_a_rejected_request_is_a_bad_response(trello_emulator: TrelloEmulator) -> None:
    with pytest.raises(BadResponse) as raised:
        trello_emulator.connector().create_card("not-an-id", "x")
    assert raised.value.status == 400


def test_webhooks_list_create_delete(
    trello_emulator: TrelloEmulator, board: dict[str, Any], shared_receiver: Receiver
) -> None:
    conn = trello_emulator.connector()
    assert conn.list_webhooks() == []
    hook = conn.create_webhook(board["board"]["id"], shared_receiver.url, "boardsheet")
    assert (hook["idModel"], hook["callbackURL"], hook["active"]) == (
        board["board"]["id"],
        shared_receiver.url,
        True,
    )
    assert [h["id"] for h in conn.list_webhooks()] == [hook["id"]]
    with pytest.raises(BadResponse):
        conn.create_webhook(board["board"]["id"], shared_receiver.url, "twice")
    conn.delete_webhook(hook["id"])
    assert conn.list_webhooks() == []


def test_a_webhook_whose_callback_fails_is_refused(
    trello_emulator: TrelloEmulator, board: dict[str, Any]
) -> None:
    with pytest.raises(BadResponse) as raised:
        trello_emulator.connector().create_webhook(board["board"]["id"], "http://127.0.0.1:9/nothing")
    assert "did not return 200" in str(raised.value)


def test_backs_off_and_succeeds_under_a_429_storm(
    trello_emulator: TrelloEmulator, board: dict[str, Any]
) -> None:
    conn = trello_emulator.connector(retry_seconds=120.0)
    trello_emulator.clear()
    trello_emulator.faults.rate_limit_rate = 0.6
    for _ in range(4):
        assert conn.board_snapshot(board["board"]["id"])["id"] == board["board"]["id"]
    statuses = [e["status"] for e in trello_emulator.requests()]
    assert statuses.count(200) == 4
    assert statuses.count(429) > 0
    assert conn.requests_made == len(statuses)


def test_recovers_from_5xx(trello_emulator: TrelloEmulator, board: dict[str, Any]) -> None:
    conn = trello_emulator.connector(retry_seconds=120.0)
    trello_emulator.faults.error_rate = 0.6
    assert conn.board_snapshot(board["board"]["id"])["name"] == "Calendar"


def test_a_create_is_never_resent_after_a_5xx_but_is_after_a_429(
    trello_emulator: TrelloEmulator, board: dict[str, Any]
) -> None:
    # A 5xx may come after Trello created the card: sending the POST again could create it twice.
    list_id = board["todo"]["id"]
    conn = trello_emulator.connector(retry_seconds=120.0)
    trello_emulator.clear()
    trello_emulator.faults.error_rate = 1.0
    with pytest.raises(Transient):
        conn.create_card(list_id, "Once only")
    assert [e["status"] for e in trello_emulator.requests()] == [503]
    trello_emulator.faults.error_rate = 0.0
    trello_emulator.clear()
    trello_emulator.faults.rate_limit_rate = 0.6
    assert conn.create_card(list_id, "Throttled then created")["name"] == "Throttled then created"
    statuses = [e["status"] for e in trello_emulator.requests()]
    assert statuses[-1] == 200 and set(statuses[:-1]) <= {429}


@pytest.mark.parametrize(("fault", "error"), [("rate_limit_rate", RateLimited), ("error_rate", Transient)])
def test_gives_up_after_the_budget(
    trello_emulator: TrelloEmulator, fault: str, error: type[ConnectorError]
) -> None:
    conn = trello_emulator.connector(retry_seconds=0.5)
    setattr(trello_emulator.faults, fault, 1.0)
    with pytest.raises(error):
        conn.me()
    assert conn.requests_made >= 1
    assert len(trello_emulator.requests()) == conn.requests_made


@pytest.mark.parametrize(("key", "token"), [(KEY, BAD_TOKEN), (BAD_KEY, TOKEN)])
def test_401_is_not_retried_and_raises_auth_error(
    trello_emulator: TrelloEmulator, key: str, token: str
) -> None:
    conn = trello_emulator.connector(key=key, token=token)
    trello_emulator.clear()
    with pytest.raises(AuthError) as raised:
        conn.me()
    assert raised.value.status == 401
    assert [e["status"] for e in trello_emulator.requests()] == [401]
    assert conn.requests_made == 1


def test_no_secret_in_logs_or_errors(
    trello_emulator: TrelloEmulator,
    board: dict[str, Any],
    shared_receiver: Receiver,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    conn = trello_emulator.connector()
    trello_emulator.faults.rate_limit_rate = 0.5
    hook = conn.create_webhook(board["board"]["id"], shared_receiver.url)
    conn.list_webhooks()
    conn.delete_webhook(hook["id"])
    trello_emulator.faults.rate_limit_rate = 0.0
    rendered = [repr(conn)]
    failing = (
        lambda: trello_emulator.connector(token=BAD_TOKEN).list_webhooks(),
        lambda: trello_emulator.connector(key=BAD_KEY).list_webhooks(),
        lambda: conn.create_webhook(board["board"]["id"], "http://127.0.0.1:9/x"),
    )
    for call in failing:
        with pytest.raises(ConnectorError) as raised:
            call()
        rendered.append("".join(traceback.format_exception(raised.value)) + repr(raised.value))
    out = capsys.readouterr()
    everything = caplog.text + out.out + out.err + "".join(rendered)
    assert "retrying" in caplog.text
    assert "/1/tokens/***/webhooks" in caplog.text
    for secret in (KEY, TOKEN, BAD_TOKEN, BAD_KEY):
        assert secret not in everything


def test_an_unreachable_api_is_transient_and_secret_free() -> None:
    with ServerThread(FastAPI()) as server:
        url = server.url  # a port that was ours and is now closed
    conn = TrelloConnector(KEY, TOKEN, api_url=url, retry_seconds=5.0)
    conn._session._sleep = lambda seconds: time.sleep(min(seconds, 0.02))
    with pytest.raises(Transient) as raised:
        conn.list_webhooks()
    assert conn.requests_made >= 2
    rendered = "".join(traceback.format_exception(raised.value))
    assert "ConnectionError" in rendered
    assert TOKEN not in rendered


def test_py_trello_own_webhook_call_reaches_the_emulator(
    trello_emulator: TrelloEmulator, board: dict[str, Any], shared_receiver: Receiver
) -> None:
    # py-trello posts this one form-encoded to https://trello.com/1/tokens/{token}/webhooks/.
    http = TrelloSession(RateLimiter(100, 10.0), api_url=trello_emulator.url)
    client = TrelloClient(KEY, token=TOKEN, http_service=http)
    hook = client.create_hook(shared_receiver.url, board["board"]["id"], "via py-trello")
    assert [h["id"] for h in trello_emulator.connector().list_webhooks()] == [hook.id]
