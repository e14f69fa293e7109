"""Replay of recorded real Trello traffic (tests/fixtures/trello-recorded, ruby-trello's cassettes).

A world equivalent to the recording's is built in-process; each recorded request is sent over HTTP with the
world's ids in place of the recorded ones (an id keeps its meaning through a cassette: the board a card
moves to is the second board everywhere), and answers are compared by status, plain-text bodies, and JSON
keys and types.
"""

from __future__ import annotations

import base64
import functools
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import yaml

from connectors.emulators.trello.actions import card_ref, list_ref
from connectors.emulators.trello.app import seed_from_dict
from connectors.emulators.trello.routes.cards import set_field_item
from connectors.emulators.trello.routes.checklists import create_checklist
from tests.support.paths import FIXTURES
from tests.support.trello_emulator import OPS, TrelloEmulator

RECORDED = FIXTURES / "trello-recorded"
ID = r"[0-9a-f]{24}"
# (method, path pattern) -> kinds of the path ids, in order; every recorded request on these is replayed.
ROUTES: dict[tuple[str, str], tuple[str, ...]] = {
    ("GET", rf"/1/boards/{ID}"): ("board",),
    ("PUT", rf"/1/boards/{ID}"): ("board",),
    ("GET", rf"/1/boards/{ID}/(lists|labels|customFields|members|cards|actions|checklists)"): ("board",),
    ("GET", rf"/1/boards/{ID}/(pluginData|labelnames)"): ("board",),
    ("GET", rf"/1/boards/{ID}/cards/{ID}"): ("board", "card"),
    ("PUT", rf"/1/boards/{ID}/members/wokenqingtian"): ("board",),
    ("DELETE", rf"/1/boards/{ID}/members/wokenqingtian"): ("board",),
    ("POST", "/1/boards"): (),
    ("GET", rf"/1/cards/{ID}"): ("card",),
    ("PUT", rf"/1/cards/{ID}"): ("card",),
    ("DELETE", rf"/1/cards/{ID}"): ("card",),
    ("POST", "/1/cards"): (),
    ("PUT", rf"/1/cards/{ID}/(idList|idBoard)"): ("card",),
    ("POST", rf"/1/cards/{ID}/idLabels"): ("card",),
    ("DELETE", rf"/1/cards/{ID}/idLabels/{ID}"): ("card", "label"),
    ("POST", rf"/1/cards/{ID}/idMembers"): ("card",),
    ("DELETE", rf"/1/cards/{ID}/idMembers/{ID}"): ("card", "member"),
    ("GET", rf"/1/cards/{ID}/(members|customFieldItems|checklists|attachments|pluginData|stickers)"): (
        "card",
    ),
    ("GET", rf"/1/cards/{ID}/attachments/{ID}"): ("card", "attachment"),
    ("POST", rf"/1/cards/{ID}/attachments"): ("card",),
    ("DELETE", rf"/1/cards/{ID}/attachments/{ID}"): ("card", "attachment"),
    ("POST", rf"/1/cards/{ID}/actions/comments"): ("card",),
    ("GET", rf"/1/cards/{ID}/actions"): ("card",),
    ("GET", rf"/1/lists/{ID}/actions"): ("list",),
    ("GET", rf"/1/actions/{ID}(/board|/card|/list)?"): ("action",),
    ("DELETE", rf"/1/actions/{ID}"): ("action",),
    ("PUT", rf"/1/cards/{ID}/customField/{ID}/item"): ("card", "field"),
    ("GET", rf"/1/checklists/{ID}"): ("checklist",),
    ("PUT", rf"/1/checklists/{ID}"): ("checklist",),
    ("DELETE", rf"/1/checklists/{ID}"): ("checklist",),
    ("POST", "/1/checklists"): (),
    ("POST", rf"/1/cards/{ID}/checklists"): ("card",),
    ("POST", rf"/1/checklists/{ID}/checkItems"): ("checklist",),
    ("PUT", rf"/1/cards/{ID}/checkItem/{ID}"): ("card", "checkitem"),
    ("GET", rf"/1/lists/{ID}"): ("list",),
    ("PUT", rf"/1/lists/{ID}"): ("list",),
    ("GET", rf"/1/lists/{ID}/cards"): ("list",),
    ("POST", "/1/lists"): (),
    ("GET", rf"/1/labels/{ID}"): ("label",),
    ("PUT", rf"/1/labels/{ID}"): ("label",),
    ("DELETE", rf"/1/labels/{ID}"): ("label",),
    ("POST", "/1/labels"): (),
    ("GET", rf"/1/customFields/{ID}"): ("field",),
    ("PUT", rf"/1/customFields/{ID}"): ("field",),
    ("POST", "/1/customFields"): (),
    ("GET", rf"/1/(customFields|customfields)/{ID}/options"): ("options",),
    ("POST", rf"/1/customFields/{ID}/options"): ("options",),
    ("GET", rf"/1/customFields/{ID}/options/{ID}"): ("options", "option"),
    ("DELETE", rf"/1/customFields/{ID}/options/{ID}"): ("options", "option"),
    ("GET", "/1/members/(me|hoppertest)"): (),
    ("GET", rf"/1/members/({ID}|hoppertest)/boards"): ("member",),
    ("POST", "/1/webhooks"): (),
    ("GET", rf"/1/webhooks/{ID}"): ("webhook",),
    ("PUT", rf"/1/webhooks/{ID}"): ("webhook",),
    ("DELETE", rf"/1/webhooks/{ID}"): ("webhook",),
}
# Body parameters holding ids, and the kind of object they name.
BODY_IDS = {
    "idCard": "card",
    "idChecklistSource": "checklist",
    "idList": "list",
    "idBoard": "board",
    "idBoardSource": "board",
    "idModel": "board",
    "idLabels": "label",
    "idMembers": "member",
}
VALUE_KINDS = {"idMembers": "member", "idLabels": "label2", "idList": "list", "idBoard": "board2"}
# Kinds a recorded id keeps for the whole cassette once seen so (more specific than where else it shows).
STICKY = ("board2", "list2", "options")


@functools.cache
def load(path: Path) -> list[dict[str, Any]]:
    """The interactions of one cassette."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    binary = lambda ld, node: base64.b64decode(str(ld.construct_scalar(node))).decode()  # noqa: E731
    loader.add_constructor("!binary", binary)
    interactions: list[dict[str, Any]] = yaml.load(path.read_text(), Loader=loader)["http_interactions"]
    return interactions


def route(method: str, path: str) -> tuple[str, ...] | None:
    """The id kinds of an emulated route, None when the route is not emulated."""
    for (verb, pattern), kinds in ROUTES.items():
        if verb == method and re.fullmatch(pattern, path):
            return kinds
    return None


def replayable(path: Path, excluded: dict[str, str]) -> bool:
    """A cassette is replayed when every request in it is on an emulated route."""
    if path.stem in excluded:
        return False
    for step in load(path):
        req = step["request"]
        if route(req["method"].upper(), urlsplit(req["uri"]).path) is None:
            return False
    return True


def world(emu: TrelloEmulator, hook_url: str) -> dict[str, str]:
    """Equivalent state, built in-process: a board with a list, two labels, a card (a label, a custom-field
    item, a comment, a checklist, an attachment, plugin data), a list field with an option, a webhook; and a
    second board with a list (for moves). HTTP costs ~45 ms a request here; the replay stays over HTTP."""
    ctx = emu.ctx
    spec = {
        "name": "IT 1",
        "labels": [{"name": "G", "color": "green"}, {"name": "O", "color": "orange"}],
        "customFields": [
            {"name": "Point", "type": "text"},
            {"name": "State", "type": "list", "options": ["New"]},
        ],
        "lists": [{"name": "L1", "cards": [{"name": "C1", "labels": ["G"]}]}],
    }
    other = {"name": "IT 2", "lists": [{"name": "L2"}]}
    ids = seed_from_dict(ctx, {"boards": [spec, other]})
    board, card = ids["IT 1"], ids["C1"]
    member = ctx.state.member_for(OPS)
    assert member is not None
    set_field_item(ctx, member, card, ids["Point"], {"value": {"text": "nice"}})
    board_obj, card_obj = ctx.state.boards[board], ctx.state.cards[card]
    board_obj["_members"].append(ctx.state.find_member("alice")["id"])  # a teammate, as on the recorded board
    ctx.actions.card_update(member, board_obj, card_obj, {"name": "C0"})
    comment = {"text": "why", "card": card_ref(card_obj), "list": list_ref(ctx.state.lists[ids["L1"]])}
    action = ctx.actions.record("commentCard", member, board_obj, comment)
    made = {"customField": {"id": ids["Point"], "name": "Point"}}
    field_action = ctx.actions.record("createCustomField", member, board_obj, made)
    labels = [x["id"] for x in ctx.state.labels.values() if x["idBoard"] == board]
    hook_id = ctx.state.new_id()
    ctx.state.webhooks[hook_id] = {
        "id": hook_id,
        "description": "",
        "idModel": board,
        "callbackURL": hook_url + "?world",
        "active": True,
        "consecutiveFailures": 0,
        "firstConsecutiveFailDate": None,
        "_token": OPS,
    }
    card_obj["_pluginData"] = [
        {"id": ctx.state.new_id(), "idPlugin": ctx.state.new_id(), "scope": "card", "idModel": card}
        | {"value": '{"stars":4}', "access": "shared"}
    ]
    checklist = create_checklist(ctx, member, card, {"name": "ToDo"})
    with emu.client() as c:  # a check item and an attachment, through the API
        item = c.post(f"/1/checklists/{checklist['id']}/checkItems", data={"name": "a"}).json()
        attachment = c.post(f"/1/cards/{card}/attachments", data={"url": "https://example.org/a.png"}).json()
    option = ctx.state.custom_fields[ids["State"]]["options"][0]["id"]
    found = {"board": board, "list": ids["L1"], "card": card, "field": ids["Point"], "webhook": hook_id}
    found |= {"action": action["id"], "checklist": checklist["id"], "checkitem": item["id"]}
    found |= {"attachment": attachment["id"], "options": ids["State"], "option": option}
    found |= {"board2": ids["IT 2"], "list2": ids["L2"], "fieldaction": field_action["id"]}
    return found | {"label": labels[0], "label2": labels[1], "member": member["id"]}


def _body(req: dict[str, Any]) -> tuple[dict[str, str], dict[str, tuple[str, bytes]]]:
    """A recorded body as form fields, or as a multipart file upload."""
    text = req["body"].get("string") or ""
    upload = re.search(r'name="file"; filename="([^"]+)".*?\r?\n\r?\n(.*?)\r?\n--', text, re.DOTALL)
    if upload:
        return {}, {"file": (upload.group(1), upload.group(2).encode())}
    return (dict(parse_qsl(text)) if "=" in text else {}), {}


def sticky_kinds(steps: list[dict[str, Any]]) -> dict[str, str]:
    """Recorded ids that mean a specific world object throughout the cassette (a move's target board...)."""
    found: dict[str, str] = {}
    for step in steps:
        req = step["request"]
        path = urlsplit(req["uri"]).path
        answer = step["response"]["body"].get("string") or ""
        for recorded, kind in zip(
            re.findall(ID, path), route(req["method"].upper(), path) or (), strict=False
        ):
            if kind in STICKY:
                found[recorded] = kind
            if kind == "action" and '"type":"createCustomField"' in answer:
                found[recorded] = "fieldaction"  # the world's action of that type
        fields, _ = _body(req)
        if path.endswith("/idBoard"):
            moved = (("value", "board2"), ("idList", "list2"))
            found |= {fields[k]: kind for k, kind in moved if k in fields}
    return found


def request(
    world: dict[str, str], req: dict[str, Any], hook_url: str, sticky: dict[str, str]
) -> tuple[str, str, dict[str, str], dict[str, str], dict[str, tuple[str, bytes]]]:
    """The recorded request with the world's ids in place of the recorded ones."""
    method, uri = req["method"].upper(), urlsplit(req["uri"])
    path = uri.path
    kinds = iter(route(method, path) or ())

    def swap(match: re.Match[str]) -> str:
        kind = next(kinds)
        return world[sticky.get(match.group(0), kind)]

    path = re.sub(ID, swap, path).replace("hoppertest", "me").replace("wokenqingtian", "alice")
    query = {k: v for k, v in parse_qsl(uri.query) if k not in ("key", "token")}
    body, files = _body(req)
    for key, value in list(body.items()):
        if value in sticky:
            body[key] = world[sticky[value]]
        elif key in BODY_IDS:
            body[key] = world[BODY_IDS[key]]
        elif key == "value" and re.fullmatch(ID, value):
            body[key] = world[VALUE_KINDS[path.rsplit("/", 1)[-1]]]
        elif key == "callbackURL":
            body[key] = hook_url
        elif key == "idCardSource":  # copying one card is not emulated
            del body[key]
    return method, path, query, body, files
