"""Seed a Trello board and a spreadsheet through the emulators' real APIs, from a YAML seed spec.

The spec's shape is documented in seeds/demo.yaml. Every object is created with the connectors, as a
user would; cards are created by the member who owns them, so the board's history names three people.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import requests
import yaml

from connectors.sheets.auth import emulator_credentials
from connectors.sheets.client import SheetsConnector
from connectors.trello.client import TrelloConnector

SEEDS_DIR = Path(__file__).parent / "seeds"
API_KEY = "emulator-key"
HOURS = (9, 12, 15, 18)  # publishing slots, UTC
FIELD_TYPES = ("list", "number", "checkbox", "text", "date")


class SeedError(ValueError):
    """A seed spec that cannot be read or used."""


@dataclass(frozen=True)
class SeedSpec:
    """What to create: a board with lists, labels, custom fields, members and cards; a spreadsheet."""

    board: str
    lists: list[str]
    labels: list[dict[str, Any]]
    custom_fields: list[dict[str, Any]]
    members: list[str]  # emulator tokens; the first one owns the board
    spreadsheet: str
    tabs: list[str]  # the first one is the synced tab
    topics: list[str]
    spread_days: int
    all_day_every: int = 0  # every n-th card (n > 0) is date-only: due at midnight in `timezone`
    timezone: str = "UTC"


@dataclass
class Seeded:
    """What seeding created: ids by name, and the URLs to look at."""

    board_id: str
    short_link: str
    board_url: str
    spreadsheet_id: str
    tab: str
    sheet_url: str
    lists: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)
    members: dict[str, str] = field(default_factory=dict)  # token -> member id
    cards: list[str] = field(default_factory=list)


def load_spec(source: str | Path) -> SeedSpec:
    """A seed spec from a YAML file, or a bundled seed by name ("demo")."""
    path = Path(source)
    if not path.suffix and (SEEDS_DIR / f"{source}.yaml").is_file():
        path = SEEDS_DIR / f"{source}.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SeedError(f"cannot read the seed file {str(path)!r}") from exc
    except yaml.YAMLError as exc:
        raise SeedError(f"{str(path)!r} is not valid YAML") from exc
    return spec_from_dict(data)


def spec_from_dict(data: Any) -> SeedSpec:
    """Validate a parsed seed spec."""
    if not isinstance(data, dict):
        raise SeedError("a seed spec is a mapping")
    try:
        cards = data.get("cards") or {}
        tabs = data.get("tabs") or [data.get("tab", "Calendar")]
        spec = SeedSpec(
            board=str(data["board"]),
            lists=[str(x) for x in data["lists"]],
            labels=[dict(x) for x in data.get("labels") or []],
            custom_fields=[dict(x) for x in data.get("custom_fields") or []],
            members=[str(x) for x in data.get("members") or ["token-ops"]],
            spreadsheet=str(data.get("spreadsheet") or data["board"]),
            tabs=[str(x) for x in tabs],
            topics=[str(x) for x in cards.get("topics") or []],
            spread_days=int(cards.get("spread_days", 42)),
            all_day_every=int(cards.get("all_day_every", 0)),
            timezone=str(data.get("timezone", "UTC")),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise SeedError(f"the seed spec is missing or mistypes {exc}") from exc
    if not spec.lists or not spec.members or not spec.tabs:
        raise SeedError("a seed spec needs at least one list, one member and one tab")
    if any("name" not in x for x in spec.labels + spec.custom_fields):
        raise SeedError("every label and custom field needs a name")
    if any(cf.get("type") not in FIELD_TYPES for cf in spec.custom_fields):
        raise SeedError(f"custom field types are {', '.join(FIELD_TYPES)}")
    return spec


def seed(
    spec: SeedSpec,
    trello_url: str,
    sheets_url: str,
    *,
    today: date | None = None,
) -> Seeded:
    """Create the spec's board and spreadsheet on the emulators at these URLs."""
    clients = {token: TrelloConnector(API_KEY, token, api_url=trello_url) for token in spec.members}
    owner = clients[spec.members[0]]
    board = owner.create_board(spec.board)
    sheets = SheetsConnector(emulator_credentials(), api_url=sheets_url)
    spreadsheet_id = sheets.create_spreadsheet(spec.spreadsheet, spec.tabs)
    result = Seeded(
        board_id=board["id"],
        short_link=board.get("shortLink", board["id"]),
        board_url=f"{trello_url}/b/{board.get('shortLink', board['id'])}",
        spreadsheet_id=spreadsheet_id,
        tab=spec.tabs[0],
        sheet_url=f"{sheets_url}/view/{spreadsheet_id}",
    )
    for token, client in clients.items():
        result.members[token] = client.me()["id"]
        if token != spec.members[0]:
            _join_board(trello_url, spec.members[0], board["id"], result.members[token])
    _seed_structure(owner, spec, result)
    _seed_cards(clients, spec, result, today or datetime.now(UTC).date())
    return result


def _join_board(trello_url: str, token: str, board_id: str, member_id: str) -> None:
    """Make a member a normal member of the board, as its owner (the connector has no call for it)."""
    try:
        answer = requests.put(
            f"{trello_url}/1/boards/{board_id}/members/{member_id}",
            params={"type": "normal"},
            headers={"Authorization": f'OAuth oauth_consumer_key="{API_KEY}", oauth_token="{token}"'},
            timeout=30,
        )
    except requests.RequestException as exc:
        raise SeedError(f"the Trello emulator did not answer ({type(exc).__name__})") from exc
    if not answer.ok:
        raise SeedError(f"the Trello emulator refused a board member (HTTP {answer.status_code})")


def _seed_structure(owner: TrelloConnector, spec: SeedSpec, result: Seeded) -> None:
    """Lists, labels and custom fields, created by the board's owner."""
    for name in spec.lists:
        result.lists[name] = owner.create_list(result.board_id, name)["id"]
    for label in spec.labels:
        created = owner.create_label(result.board_id, str(label["name"]), label.get("color"))
        result.labels[str(label["name"])] = created["id"]
    for cf in spec.custom_fields:
        options = [str(o) for o in cf.get("options") or []]
        created = owner.create_custom_field(result.board_id, str(cf["name"]), str(cf["type"]), options)
        result.fields[str(cf["name"])] = created["id"]
        for option in created.get("options") or []:
            result.fields[f"{cf['name']}={option['value']['text']}"] = option["id"]


def card_plan(spec: SeedSpec, index: int, today: date) -> dict[str, Any]:
    """Where card `index` goes: due date spread from today, list by nearness, label, member, channel."""
    count = max(len(spec.topics), 1)
    day = today + timedelta(days=index * spec.spread_days // count)
    due = datetime.combine(day, time(HOURS[index % len(HOURS)]), UTC)
    if spec.all_day_every and index % spec.all_day_every == spec.all_day_every - 1:
        # Date-only: midnight in the seed's zone, as a calendar shows an all-day post.
        due = datetime.combine(day, time(0), ZoneInfo(spec.timezone)).astimezone(UTC)
    # The soonest cards are furthest along the pipeline: the last list holds the first cards.
    stage = len(spec.lists) - 1 - index * len(spec.lists) // count
    labels = [spec.labels[index % len(spec.labels)]["name"]] if spec.labels else []
    if spec.labels and index % 7 == 3:
        labels.append(spec.labels[(index + 2) % len(spec.labels)]["name"])
    return {
        "name": spec.topics[index],
        "list": spec.lists[stage],
        "due": due.isoformat().replace("+00:00", "Z"),
        "done": stage == len(spec.lists) - 1 and len(spec.lists) > 1,
        "labels": labels,
        "member": spec.members[index % len(spec.members)],
    }


def _seed_cards(clients: dict[str, TrelloConnector], spec: SeedSpec, result: Seeded, today: date) -> None:
    """Every card, created by its member (members in parallel), with labels, member and field values."""
    plans = [card_plan(spec, index, today) for index in range(len(spec.topics))]
    card_ids: dict[int, str] = {}

    def create(token: str) -> None:
        for index, plan in enumerate(plans):
            if plan["member"] == token:
                card_ids[index] = _create_card(clients[token], spec, result, plan, index)

    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        list(pool.map(create, clients))  # list(): re-raise the first failure
    result.cards.extend(card_ids[index] for index in sorted(card_ids))


def _create_card(
    client: TrelloConnector, spec: SeedSpec, result: Seeded, plan: dict[str, Any], index: int
) -> str:
    """One card and its custom-field values; returns its id."""
    card = client.create_card(
        result.lists[plan["list"]],
        plan["name"],
        due=plan["due"],
        dueComplete=plan["done"],
        pos=16384.0 * (index + 1),  # creation runs in parallel; positions keep each list in date order
        idLabels=",".join(result.labels[name] for name in plan["labels"]),
        idMembers=result.members[plan["member"]],
    )
    _set_fields(client, spec, result, card["id"], index)
    return str(card["id"])


def _set_fields(client: TrelloConnector, spec: SeedSpec, result: Seeded, card_id: str, index: int) -> None:
    """Custom-field values: every list field gets an option; numbers and checkboxes on some cards."""
    for cf in spec.custom_fields:
        name, kind, field_id = str(cf["name"]), cf["type"], result.fields[str(cf["name"])]
        options = cf.get("options") or []
        if kind == "list" and options:
            option = options[index % len(options)]
            client.set_custom_field(card_id, field_id, None, id_value=result.fields[f"{name}={option}"])
        elif kind == "number" and index % 3 == 0:
            client.set_custom_field(card_id, field_id, {"number": str(100 + 50 * (index % 5))})
        elif kind == "checkbox" and index % 4 == 0:
            client.set_custom_field(card_id, field_id, {"checked": "true"})
