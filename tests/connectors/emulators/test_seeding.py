"""Seeding from a YAML file through the emulators' real APIs, and the seed spec's validation."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import requests

from connectors.emulators.seeding import SeedError, card_plan, load_spec, seed, spec_from_dict
from connectors.emulators.serve import Emulators
from connectors.sheets.auth import emulator_credentials
from connectors.sheets.client import SheetsConnector
from connectors.trello.client import TrelloConnector
from tests.support.procs import Proc

SMALL = """
board: Launch plan
lists: [Backlog, Doing, Done]
labels:
  - {name: Blog, color: green}
custom_fields:
  - {name: Channel, type: list, options: [Organic, Paid]}
  - {name: Budget, type: number}
members: [token-ops, token-bob]
spreadsheet: Launch
tabs: [Plan, Changes]
cards:
  topics: [First post, Second post, Third post, Fourth post, Fifth post, Sixth post]
  spread_days: 12
"""
TODAY = date(2030, 3, 4)


@pytest.fixture
def emulators() -> Iterator[Emulators]:
    with Emulators() as running:
        yield running


@pytest.fixture
def small_file(tmp_path: Path) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL, encoding="utf-8")
    return path


@pytest.mark.http
def test_seed_file_creates_board_and_spreadsheet(emulators: Emulators, small_file: Path) -> None:
    seeded = emulators.seed(load_spec(small_file), today=TODAY)

    board = TrelloConnector("emulator-key", "token-bob", api_url=emulators.trello_url).board_snapshot(
        seeded.short_link
    )
    assert board["name"] == "Launch plan"
    assert [x["name"] for x in board["lists"]] == ["Backlog", "Doing", "Done"]
    assert {m["username"] for m in board["members"]} == {"ops", "bob"}
    by_name = {c["name"]: c for c in board["cards"]}
    assert list(by_name) == [
        "Fifth post",
        "Sixth post",
        "Third post",
        "Fourth post",
        "First post",
        "Second post",
    ]  # soonest cards furthest along: Done holds the first two, Backlog the last two
    assert by_name["First post"]["due"] == "2030-03-04T09:00:00.000Z"
    assert by_name["Sixth post"]["due"] == "2030-03-14T12:00:00.000Z"
    assert by_name["First post"]["dueComplete"] is True
    assert by_name["Sixth post"]["dueComplete"] is False
    members = {m["id"]: m["username"] for m in board["members"]}
    assert [
        members[c["idMembers"][0]] for c in board["cards"] if c["name"] in ("First post", "Second post")
    ] == [
        "ops",
        "bob",
    ]
    channel, budget = board["customFields"]
    options = {o["id"]: o["value"]["text"] for o in channel["options"]}
    first = {i["idCustomField"]: i for i in by_name["First post"]["customFieldItems"]}
    assert options[first[channel["id"]]["idValue"]] == "Organic"
    assert first[budget["id"]]["value"] == {"number": "100"}

    sheets = SheetsConnector(emulator_credentials(), api_url=emulators.sheets_url)
    assert [t["title"] for t in sheets.tabs(seeded.spreadsheet_id)] == ["Plan", "Changes"]
    assert seeded.tab == "Plan"
    assert requests.get(seeded.board_url, timeout=10).status_code == 200
    assert requests.get(seeded.sheet_url, timeout=10).status_code == 200


@pytest.mark.http
def test_emulate_seeds_from_a_file(small_file: Path) -> None:
    proc = Proc("emulate", "--trello-port", "0", "--sheets-port", "0", "--seed", str(small_file))
    try:
        trello_url = proc.wait_for(r"^Trello emulator: (\S+)").group(1)
        short_link = proc.wait_for(r"^Board: \w+ \(short link (\w+), 6 cards\)").group(1)
        board = TrelloConnector("emulator-key", "token-ops", api_url=trello_url).board_snapshot(short_link)
        assert len(board["cards"]) == 6
        assert board["name"] == "Launch plan"
    finally:
        proc.kill()


def test_card_plan_spreads_dates_and_stages() -> None:
    spec = load_spec("demo")
    plans = [card_plan(spec, i, TODAY) for i in range(len(spec.topics))]
    assert plans[0]["due"].startswith("2030-03-04")
    assert plans[-1]["due"] < "2030-04-15"  # within six weeks
    assert plans[0]["list"] == "Published"
    assert plans[-1]["list"] == "Ideas"
    assert {p["list"] for p in plans} == set(spec.lists)
    assert {p["member"] for p in plans} == {"token-ops", "token-alice", "token-bob"}
    assert {label for p in plans for label in p["labels"]} == {x["name"] for x in spec.labels}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([1, 2], "a seed spec is a mapping"),
        ({"lists": ["A"]}, "'board'"),
        ({"board": "B", "lists": []}, "at least one list"),
        ({"board": "B", "lists": ["A"], "cards": {"spread_days": "soon"}}, "mistypes"),
        ({"board": "B", "lists": ["A"], "labels": [{"color": "red"}]}, "needs a name"),
        ({"board": "B", "lists": ["A"], "custom_fields": [{"name": "C", "type": "x"}]}, "types are"),
    ],
)
def test_bad_specs_are_refused(data: object, message: str) -> None:
    with pytest.raises(SeedError, match=message):
        spec_from_dict(data)


def test_invalid_yaml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("board: [unclosed", encoding="utf-8")
    with pytest.raises(SeedError, match="not valid YAML"):
        load_spec(path)


@pytest.mark.http
def test_members_join_the_board_through_trellos_route(emulators: Emulators, small_file: Path) -> None:
    seeded = seed(load_spec(small_file), emulators.trello_url, emulators.sheets_url)
    answer = requests.get(
        f"{emulators.trello_url}/1/boards/{seeded.board_id}/actions",
        params={"key": "emulator-key", "token": "token-bob", "filter": "addMemberToBoard"},
        timeout=10,
    )
    (joined,) = answer.json()
    assert joined["memberCreator"]["username"] == "ops"
    assert joined["member"]["username"] == "bob"


def test_every_nth_card_is_date_only_at_midnight_in_the_seed_zone() -> None:
    spec = load_spec("demo")
    assert (spec.all_day_every, spec.timezone) == (6, "Europe/Paris")
    plans = [card_plan(spec, i, TODAY) for i in range(len(spec.topics))]
    all_day = [p["due"] for i, p in enumerate(plans) if i % 6 == 5]
    assert all_day and all(due.endswith(("T23:00:00Z", "T22:00:00Z")) for due in all_day)  # Paris midnight
    assert all(p["due"].endswith(("T09:00:00Z", "T12:00:00Z", "T15:00:00Z", "T18:00:00Z"))
               for i, p in enumerate(plans) if i % 6 != 5)  # fmt: skip
