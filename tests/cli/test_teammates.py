"""The demo's simulated teammates edit cards through the Trello API, each with their own token."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from app.cli.teammates import Teammates
from connectors.emulators.seeding import Seeded, load_spec
from connectors.emulators.serve import Emulators

pytestmark = pytest.mark.http  # both emulators over loopback


@pytest.fixture(scope="module")
def world() -> Iterator[tuple[Emulators, Seeded]]:
    with Emulators() as emulators:
        yield emulators, emulators.seed(load_spec("demo"))


def _actions(emulators: Emulators, board_id: str) -> list[dict[str, Any]]:
    answer = requests.get(
        f"{emulators.trello_url}/1/boards/{board_id}/actions",
        params={"key": "emulator-key", "token": "token-ops", "limit": "1000"},
        timeout=10,
    )
    answer.raise_for_status()
    actions: list[dict[str, Any]] = answer.json()
    return actions


def test_teammates_edit_with_their_own_tokens(world: tuple[Emulators, Seeded]) -> None:
    emulators, seeded = world
    before = {a["id"] for a in _actions(emulators, seeded.board_id)}
    said: list[str] = []
    teammates = Teammates(emulators.trello_url, seeded.board_id, seed=7, say=said.append)

    done = [teammates.step() for _ in range(8)]

    assert all(done), done
    assert [d.split()[0] for d in done if d] == ["alice", "bob"] * 4  # they take turns
    new = [a for a in _actions(emulators, seeded.board_id) if a["id"] not in before]
    assert len(new) == 8
    assert {a["memberCreator"]["username"] for a in new} == {"alice", "bob"}
    assert {a["type"] for a in new} <= {"updateCard", "updateCustomFieldItem"}


def test_teammates_thread_reports_edits_and_stops(world: tuple[Emulators, Seeded]) -> None:
    emulators, seeded = world
    said: list[str] = []
    two = threading.Event()

    def say(line: str) -> None:
        said.append(line)
        if len(said) >= 2:
            two.set()

    teammates = Teammates(emulators.trello_url, seeded.board_id, interval=0.05, seed=1, say=say)
    teammates.start()
    try:
        assert two.wait(30), said
    finally:
        teammates.stop()
    assert not teammates.running
    assert all(line.split()[0] in ("alice", "bob") for line in said)


def test_a_churning_team_also_adds_archives_and_deletes_cards() -> None:
    with Emulators() as emulators:  # a board of its own: this team changes which cards exist
        seeded = emulators.seed(load_spec("demo"))
        before = {a["id"] for a in _actions(emulators, seeded.board_id)}
        teammates = Teammates(emulators.trello_url, seeded.board_id, seed=3, say=[].append, churn=True)

        done = [teammates.step() for _ in range(40)]

        new = [a for a in _actions(emulators, seeded.board_id) if a["id"] not in before]
    assert all(done), done
    kinds = {a["type"] for a in new}
    archived = [
        a for a in new if a["type"] == "updateCard" and a["data"].get("old", {}).get("closed") is False
    ]
    assert {"createCard", "deleteCard"} <= kinds and archived, kinds
    assert [w for d in done if d for w in d.split()[1:2]].count("added") == sum(
        a["type"] == "createCard" for a in new
    )
