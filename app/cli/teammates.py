"""Simulated teammates for the demo: each edits a card through the Trello API with their own token."""

from __future__ import annotations

import itertools
import logging
import random
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from connectors.errors import ConnectorError
from connectors.trello.client import TrelloConnector

__all__ = ["TEAMMATE_TOKENS", "Teammates"]

log = logging.getLogger(__name__)

TEAMMATE_TOKENS = ("token-alice", "token-bob")
API_KEY = "emulator-key"
EDITED = " (edited)"

Edit = Callable[[TrelloConnector, dict[str, Any], dict[str, Any], random.Random], str | None]


class Teammates:
    """Teammates taking turns: every `interval` seconds, the next one edits a random card."""

    def __init__(
        self,
        trello_url: str,
        board_id: str,
        *,
        tokens: Sequence[str] = TEAMMATE_TOKENS,
        interval: float = 4.0,
        seed: int | None = None,
        say: Callable[[str], None] = print,
        churn: bool = False,
    ) -> None:
        """`churn`: the team also adds, archives and deletes cards (the soak; the demo's board stays put)."""
        self._board_id = board_id
        self._edits: list[Edit] = [_move, _move, _reschedule, _toggle_done, _rename, _switch_channel]
        if churn:
            self._edits += [_create, _create, _archive, _delete]
        self._interval = interval
        self._random = random.Random(seed)
        self._say = say
        self._people = itertools.cycle(
            [(TrelloConnector(API_KEY, token, api_url=trello_url), token) for token in tokens]
        )
        self._names: dict[str, str] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="demo-teammates", daemon=True)

    def start(self) -> None:
        """Start editing in a background thread."""
        self._thread.start()

    def stop(self) -> None:
        """Stop after the current edit."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)

    @property
    def running(self) -> bool:
        """True while the background thread edits cards."""
        return self._thread.is_alive()

    def step(self) -> str | None:
        """One edit by the next teammate; what they did in plain words, or None if nothing to edit."""
        client, token = next(self._people)
        if token not in self._names:
            self._names[token] = str(client.me().get("username", token))
        board = client.board_snapshot(self._board_id)
        cards = [c for c in board.get("cards", []) if not c.get("closed")]
        if not cards:
            return None
        card = self._random.choice(cards)
        for edit in self._random.sample(self._edits, len(self._edits)):
            done = edit(client, board, card, self._random)
            if done:
                return f"{self._names[token]} {done}"
        return None

    def _loop(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                done = self.step()
            except ConnectorError as exc:  # an emulator hiccup must not end the demo
                log.warning("a teammate's edit failed: %s", exc)
                continue
            if done:
                self._say(done)


def _move(
    client: TrelloConnector, board: dict[str, Any], card: dict[str, Any], rng: random.Random
) -> str | None:
    """Move the card to the next list."""
    lists = [x for x in board.get("lists", []) if not x.get("closed")]
    ids = [x["id"] for x in lists]
    if card["idList"] not in ids or ids.index(card["idList"]) + 1 >= len(ids):
        return None
    target = lists[ids.index(card["idList"]) + 1]
    client.update_card(card["id"], idList=target["id"])
    return f"moved “{card['name']}” to {target['name']}"


def _reschedule(
    client: TrelloConnector, board: dict[str, Any], card: dict[str, Any], rng: random.Random
) -> str | None:
    """Move the card's due date by a few days."""
    if not card.get("due"):
        return None
    due = datetime.fromisoformat(card["due"].replace("Z", "+00:00"))
    due += timedelta(days=rng.choice((-2, -1, 1, 2, 3)))
    client.update_card(card["id"], due=due.isoformat())
    return f"rescheduled “{card['name']}” to {due:%a %d %b}"


def _toggle_done(
    client: TrelloConnector, board: dict[str, Any], card: dict[str, Any], rng: random.Random
) -> str | None:
    """Mark the card's due date complete, or not."""
    done = not card.get("dueComplete")
    client.update_card(card["id"], dueComplete=done)
    return f"marked “{card['name']}” {'done' if done else 'not done'}"


def _rename(
    client: TrelloConnector, board: dict[str, Any], card: dict[str, Any], rng: random.Random
) -> str | None:
    """Add or remove an "(edited)" mark in the card's title."""
    name = str(card["name"])
    new = name[: -len(EDITED)] if name.endswith(EDITED) else name + EDITED
    client.update_card(card["id"], name=new)
    return f"renamed “{name}” to “{new}”"


def _switch_channel(
    client: TrelloConnector, board: dict[str, Any], card: dict[str, Any], rng: random.Random
) -> str | None:
    """Pick another option of the board's Channel field."""
    field = next((f for f in board.get("customFields", []) if f.get("name") == "Channel"), None)
    if field is None or not field.get("options"):
        return None
    items = {i["idCustomField"]: i for i in card.get("customFieldItems", [])}
    current = items.get(field["id"], {}).get("idValue")
    choices = [o for o in field["options"] if o["id"] != current]
    if not choices:
        return None
    option = rng.choice(choices)
    client.set_custom_field(card["id"], field["id"], None, id_value=option["id"])
    return f"set the channel of “{card['name']}” to {option['value']['text']}"


def _create(
    client: TrelloConnector, board: dict[str, Any], card: dict[str, Any], rng: random.Random
) -> str | None:
    """Add a card to the card's list, due a few days after it."""
    due = card.get("due") or datetime.now(UTC).isoformat()
    moment = datetime.fromisoformat(str(due).replace("Z", "+00:00")) + timedelta(days=rng.choice((1, 2, 3)))
    name = f"New post {rng.randrange(10_000):04d}"
    client.create_card(card["idList"], name, due=moment.isoformat())
    return f"added “{name}”"


def _archive(
    client: TrelloConnector, board: dict[str, Any], card: dict[str, Any], rng: random.Random
) -> str | None:
    """Archive the card."""
    client.update_card(card["id"], closed=True)
    return f"archived “{card['name']}”"


def _delete(
    client: TrelloConnector, board: dict[str, Any], card: dict[str, Any], rng: random.Random
) -> str | None:
    """Delete the card for good."""
    client.delete_card(card["id"])
    return f"deleted “{card['name']}”"
