"""Trello's caps on one answer (issue 8 §2): card pages, the too-many-cards 403, nested labels, board limits.

Sources are in docs/emulators.md ("Big boards") and connectors/emulators/trello/paging.py.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from connectors.emulators.synthetic import BOARD, board_spec
from connectors.emulators.trello.app import seed_from_dict
from tests.support.trello_emulator import TrelloEmulator

pytestmark = pytest.mark.http  # the emulator over loopback


def seeded(emulator: TrelloEmulator, cards: int) -> tuple[str, list[str]]:
    """A board of `cards` cards: its id and its card ids, oldest first."""
    board = seed_from_dict(emulator.ctx, board_spec(cards))[BOARD]
    ids = sorted(c["id"] for c in emulator.state.cards.values() if c["idBoard"] == board)
    return board, ids


def ids_of(answer: httpx.Response) -> list[str]:
    assert answer.status_code == 200, answer.text
    body: Any = answer.json()
    return [card["id"] for card in (body["cards"] if isinstance(body, dict) else body)]


def test_a_nested_board_read_keeps_only_the_newest_thousand_cards(emulator: TrelloEmulator) -> None:
    board, ids = seeded(emulator, 1_100)
    with emulator.client() as c:
        got = ids_of(c.get(f"/1/boards/{board}", params={"cards": "all"}))
    assert len(got) == 1_000
    assert set(got) == set(ids[100:])


def test_card_pages_go_newest_first_with_before_and_since(emulator: TrelloEmulator) -> None:
    board, ids = seeded(emulator, 1_100)
    with emulator.client() as c:
        first = ids_of(c.get(f"/1/boards/{board}/cards/all", params={"limit": 1000}))
        older = ids_of(c.get(f"/1/boards/{board}/cards/all", params={"limit": 1000, "before": first[-1]}))
        newest = ids_of(c.get(f"/1/boards/{board}/cards/all", params={"limit": 5, "since": ids[-3]}))
    assert first == ids[::-1][:1000]
    assert older == ids[:100][::-1]
    assert newest == ids[-2:][::-1]


def test_a_limit_above_a_thousand_is_refused(emulator: TrelloEmulator) -> None:
    board, _ = seeded(emulator, 3)
    with emulator.client() as c:
        answer = c.get(f"/1/boards/{board}/cards/all", params={"limit": 1001})
    assert (answer.status_code, answer.text) == (400, "invalid value for limit")


def test_an_unpaged_read_of_too_many_cards_with_nested_data_is_403(emulator: TrelloEmulator) -> None:
    board, ids = seeded(emulator, 1_001)
    with emulator.client() as c:
        refused = c.get(f"/1/boards/{board}/cards/all", params={"customFieldItems": "true"})
        plain = c.get(f"/1/boards/{board}/cards/all")
        paged = c.get(f"/1/boards/{board}/cards/all", params={"customFieldItems": "true", "limit": 1000})
    assert refused.status_code == 403
    assert refused.json()["error"] == "API_TOO_MANY_CARDS_REQUESTED"
    assert set(ids_of(plain)) == set(ids[1:])  # without nested data: silently capped
    assert len(ids_of(paged)) == 1000


def test_nested_labels_stop_at_fifty_unless_labels_limit_is_raised(emulator: TrelloEmulator) -> None:
    board, _ = seeded(emulator, 1)
    with emulator.client() as c:
        for i in range(60):
            c.post("/1/labels", data={"name": f"L{i:02d}", "color": "green", "idBoard": board})
        default = c.get(f"/1/boards/{board}", params={"labels": "all"}).json()["labels"]
        raised = c.get(f"/1/boards/{board}", params={"labels": "all", "labels_limit": 1000}).json()["labels"]
        route = c.get(f"/1/boards/{board}/labels").json()
        too_many = c.get(f"/1/boards/{board}", params={"labels": "all", "labels_limit": 1001})
    assert (len(default), len(route)) == (50, 50)
    assert len(raised) == 62  # the seed's two labels and the sixty new ones
    assert (too_many.status_code, too_many.text) == (400, "invalid value for labels_limit")


def test_board_limits_show_the_open_card_cap(emulator: TrelloEmulator) -> None:
    board, _ = seeded(emulator, 2)
    with emulator.client() as c:
        limits = c.get(f"/1/boards/{board}", params={"fields": "limits"}).json()["limits"]
    assert limits["cards"]["openPerBoard"] == {"status": "ok", "disableAt": 5000, "warnAt": 4500}
    assert limits["cards"]["totalPerBoard"]["disableAt"] == 2_000_000
