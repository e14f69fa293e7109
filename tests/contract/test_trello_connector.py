"""TrelloConnector against the Trello emulator over real HTTP: requests, budgets, faults and secrets."""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from fastapi import FastAPI, Response
from trello import TrelloClient

from connectors.emulators.common import Faults, ServerThread
from connectors.emulators.trello.app import create_app
from connectors.errors import AuthError, BadResponse, ConnectorError, NotFound, RateLimited, Transient
from connectors.limits import RateLimiter
from connectors.trello.client import TrelloConnector
from connectors.trello.session import TrelloSession

KEY = "emulator-key"
TOKEN = "token-ops"
# Names, not literals, in the calls below: tracebacks quote source lines.
BAD_TOKEN = "token-nope"
BAD_KEY = "wrong-key"


class Emulator:
    """A running emulator, its fault switches and its request log."""

    def __init__(self, server: ServerThread, faults: Faults) -> None:
        self.server = server
        self.faults = faults
        self.url = server.url

    def requests(self) -> list[dict[str, Any]]:
        answer = requests.get(f"{self.url}/_emulator/requests", timeout=10)
        entries: list[dict[str, Any]] = answer.json()
        return entries

    def clear(self) -> None:
        requests.delete(f"{self.url}/_emulator/requests", timeout=10)

    def connector(self, token: str = TOKEN, key: str = KEY, retry_seconds: float = 20.0) -> TrelloConnector:
        conn = TrelloConnector(key, token, api_url=self.url, retry_seconds=retry_seconds)
        # Keep the real backoff schedule and budget accounting (on the asked waits), but wait briefly.
        conn._session._sleep = lambda seconds: time.sleep(min(seconds, 0.02))
        return conn


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    faults = Faults(seed=7)
    with ServerThread(create_app(faults=faults)) as server:
        yield Emulator(server, faults)


@pytest.fixture(scope="module")
def callback_url() -> Iterator[str]:
    app = FastAPI()

    @app.api_route("/hook", methods=["HEAD", "POST"])
    def hook() -> Response:
        return Response(status_code=200)

    with ServerThread(app) as server:
        yield f"{server.url}/hook"


@pytest.fixture
def board(emulator: Emulator) -> dict[str, Any]:
    """A board with two lists, a label, a text and a list custom field, and one card."""
    conn = emulator.connector()
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


def test_board_snapshot_is_exactly_one_request(emulator: Emulator, board: dict[str, Any]) -> None:
    conn = emulator.connector()
    emulator.clear()
    snapshot = conn.board_snapshot(board["board"]["id"])
    log = emulator.requests()
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


def test_me_names_the_token_member(emulator: Emulator) -> None:
    assert emulator.connector(token="token-alice").me()["username"] == "alice"


def test_a_forgotten_connector_closes_its_connections(emulator: Emulator) -> None:
    import gc
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        connector = emulator.connector()
        connector.me()  # leaves a kept-alive connection open
        del connector
        gc.collect()
    assert [w for w in caught if issubclass(w.category, ResourceWarning)] == []
    with emulator.connector() as closing:
        assert closing.me()["username"] == "ops"


def test_card_update_custom_fields_and_labels(emulator: Emulator, board: dict[str, Any]) -> None:
    conn = emulator.connector()
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


def test_delete_card_then_it_is_not_found(emulator: Emulator, board: dict[str, Any]) -> None:
    conn = emulator.connector()
    conn.delete_card(board["card"]["id"])
    assert conn.board_snapshot(board["board"]["id"])["cards"] == []
    with pytest.raises(NotFound) as raised:
        conn.update_card(board["card"]["id"], name="gone")
    assert raised.value.status == 404


def test_unknown_board_is_not_found(emulator: Emulator) -> None:
    with pytest.raises(NotFound):
        emulator.connector().board_snapshot("5f1c0ffee0ddba11cafe0001")


def test_a_rejected_request_is_a_bad_response(emulator: Emulator) -> None:
    with pytest.raises(BadResponse) as raised:
        emulator.connector().create_card("not-an-id", "x")
    assert raised.value.status == 400


def test_webhooks_list_create_delete(emulator: Emulator, board: dict[str, Any], callback_url: str) -> None:
    conn = emulator.connector()
    assert conn.list_webhooks() == []
    hook = conn.create_webhook(board["board"]["id"], callback_url, "boardsheet")
    assert (hook["idModel"], hook["callbackURL"], hook["active"]) == (
        board["board"]["id"],
        callback_url,
        True,
    )
    assert [h["id"] for h in conn.list_webhooks()] == [hook["id"]]
    with pytest.raises(BadResponse):
        conn.create_webhook(board["board"]["id"], callback_url, "twice")
    conn.delete_webhook(hook["id"])
    assert conn.list_webhooks() == []


def test_a_webhook_whose_callback_fails_is_refused(emulator: Emulator, board: dict[str, Any]) -> None:
    with pytest.raises(BadResponse) as raised:
        emulator.connector().create_webhook(board["board"]["id"], "http://127.0.0.1:9/nothing")
    assert "did not return 200" in str(raised.value)


def test_backs_off_and_succeeds_under_a_429_storm(emulator: Emulator, board: dict[str, Any]) -> None:
    conn = emulator.connector(retry_seconds=120.0)
    emulator.clear()
    emulator.faults.rate_limit_rate = 0.6
    for _ in range(4):
        assert conn.board_snapshot(board["board"]["id"])["id"] == board["board"]["id"]
    statuses = [e["status"] for e in emulator.requests()]
    assert statuses.count(200) == 4
    assert statuses.count(429) > 0
    assert conn.requests_made == len(statuses)


def test_recovers_from_5xx(emulator: Emulator, board: dict[str, Any]) -> None:
    conn = emulator.connector(retry_seconds=120.0)
    emulator.faults.error_rate = 0.6
    assert conn.board_snapshot(board["board"]["id"])["name"] == "Calendar"


def test_a_create_is_never_resent_after_a_5xx_but_is_after_a_429(
    emulator: Emulator, board: dict[str, Any]
) -> None:
    # A 5xx may come after Trello created the card: sending the POST again could create it twice.
    list_id = board["todo"]["id"]
    conn = emulator.connector(retry_seconds=120.0)
    emulator.clear()
    emulator.faults.error_rate = 1.0
    with pytest.raises(Transient):
        conn.create_card(list_id, "Once only")
    assert [e["status"] for e in emulator.requests()] == [503]
    emulator.faults.error_rate = 0.0
    emulator.clear()
    emulator.faults.rate_limit_rate = 0.6
    assert conn.create_card(list_id, "Throttled then created")["name"] == "Throttled then created"
    statuses = [e["status"] for e in emulator.requests()]
    assert statuses[-1] == 200 and set(statuses[:-1]) <= {429}


@pytest.mark.parametrize(("fault", "error"), [("rate_limit_rate", RateLimited), ("error_rate", Transient)])
def test_gives_up_after_the_budget(emulator: Emulator, fault: str, error: type[ConnectorError]) -> None:
    conn = emulator.connector(retry_seconds=0.5)
    setattr(emulator.faults, fault, 1.0)
    with pytest.raises(error):
        conn.me()
    assert conn.requests_made >= 1
    assert len(emulator.requests()) == conn.requests_made


@pytest.mark.parametrize(("key", "token"), [(KEY, BAD_TOKEN), (BAD_KEY, TOKEN)])
def test_401_is_not_retried_and_raises_auth_error(emulator: Emulator, key: str, token: str) -> None:
    conn = emulator.connector(key=key, token=token)
    emulator.clear()
    with pytest.raises(AuthError) as raised:
        conn.me()
    assert raised.value.status == 401
    assert [e["status"] for e in emulator.requests()] == [401]
    assert conn.requests_made == 1


def test_no_secret_in_logs_or_errors(
    emulator: Emulator,
    board: dict[str, Any],
    callback_url: str,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    conn = emulator.connector()
    emulator.faults.rate_limit_rate = 0.5
    hook = conn.create_webhook(board["board"]["id"], callback_url)
    conn.list_webhooks()
    conn.delete_webhook(hook["id"])
    emulator.faults.rate_limit_rate = 0.0
    rendered = [repr(conn)]
    failing = (
        lambda: emulator.connector(token=BAD_TOKEN).list_webhooks(),
        lambda: emulator.connector(key=BAD_KEY).list_webhooks(),
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
    emulator: Emulator, board: dict[str, Any], callback_url: str
) -> None:
    # py-trello posts this one form-encoded to https://trello.com/1/tokens/{token}/webhooks/.
    http = TrelloSession(RateLimiter(100, 10.0), api_url=emulator.url)
    client = TrelloClient(KEY, token=TOKEN, http_service=http)
    hook = client.create_hook(callback_url, board["board"]["id"], "via py-trello")
    assert [h["id"] for h in emulator.connector().list_webhooks()] == [hook.id]
