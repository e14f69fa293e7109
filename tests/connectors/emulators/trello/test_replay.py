"""Replay recorded real Trello traffic against the emulator: same status, keys and JSON types."""

from __future__ import annotations

import base64
import functools
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import yaml

from connectors.emulators.trello.actions import card_ref, list_ref
from connectors.emulators.trello.app import seed_from_dict
from connectors.emulators.trello.routes.cards import set_field_item
from connectors.emulators.trello.routes.checklists import create_checklist
from tests.support.paths import FIXTURES
from tests.support.trello_emulator import OPS, Receiver, TrelloEmulator

RECORDED = FIXTURES / "trello-recorded"
CAPTURES = FIXTURES / "trello-webhooks"
ID = r"[0-9a-f]{24}"
# (method, path pattern) -> kinds of the path ids, in order; every recorded request on these is replayed.
ROUTES: dict[tuple[str, str], tuple[str, ...]] = {
    ("GET", rf"/1/boards/{ID}"): ("board",),
    ("PUT", rf"/1/boards/{ID}"): ("board",),
    ("GET", rf"/1/boards/{ID}/(lists|labels|customFields|members|cards|actions|checklists)"): ("board",),
    ("GET", rf"/1/boards/{ID}/cards/{ID}"): ("board", "card"),
    ("PUT", rf"/1/boards/{ID}/members/wokenqingtian"): ("board",),
    ("DELETE", rf"/1/boards/{ID}/members/wokenqingtian"): ("board",),
    ("POST", "/1/boards"): (),
    ("GET", rf"/1/cards/{ID}"): ("card",),
    ("PUT", rf"/1/cards/{ID}"): ("card",),
    ("DELETE", rf"/1/cards/{ID}"): ("card",),
    ("POST", "/1/cards"): (),
    ("PUT", rf"/1/cards/{ID}/idList"): ("card",),
    ("POST", rf"/1/cards/{ID}/idLabels"): ("card",),
    ("DELETE", rf"/1/cards/{ID}/idLabels/{ID}"): ("card", "label"),
    ("POST", rf"/1/cards/{ID}/idMembers"): ("card",),
    ("DELETE", rf"/1/cards/{ID}/idMembers/{ID}"): ("card", "member"),
    ("GET", rf"/1/cards/{ID}/(members|customFieldItems|checklists)"): ("card",),
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
    ("POST", "/1/customFields"): (),
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
    "idModel": "board",
    "idLabels": "label",
    "idMembers": "member",
}
VALUE_KINDS = {"idMembers": "member", "idLabels": "label2", "idList": "list", "idBoard": "board"}
# Documented differences (docs/emulators-trello.md): keys the emulator does not produce.
NOT_EMULATED = {
    "limits",
    "display",
    "entities",
    "attachments",
    "stickers",
    "pluginData",
    "backgroundImageScaled",
    "idOrganization",
    "organization",
    "cover",
    "badges",
    "memberships",
    "powerUps",
    "premiumFeatures",
    "ixUpdate",
    "templateGallery",
    "dateLastView",
    "prefs",
    "nodeId",
    "datePluginDisable",
    "appCreator",
    "textData",
}
# Account profile fields of /members/me that no sync reads.
MEMBER_EXTRAS = {
    "aaId",
    "aaBlockSyncUntil",
    "aaEmail",
    "aaEnrolledDate",
    "avatarSource",
    "bioData",
    "credentialsRemovedCount",
    "idEnterprisesDeactivated",
    "idPremOrgsAdmin",
    "products",
    "domainClaimed",
    "gravatarHash",
    "idEnterprisesAdmin",
    "loginTypes",
    "marketingOptIn",
    "messagesDismissed",
    "oneTimeMessagesDismissed",
    "trophies",
    "uploadedAvatarHash",
    "uploadedAvatarUrl",
    "isAaMastered",
    "siftDecision",
    "idMemberReferrer",
    "activityBlocked",
    "nonPublic",
}


@functools.cache
def _load(path: Path) -> list[dict[str, Any]]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    binary = lambda ld, node: base64.b64decode(str(ld.construct_scalar(node))).decode()  # noqa: E731
    loader.add_constructor("!binary", binary)
    interactions: list[dict[str, Any]] = yaml.load(path.read_text(), Loader=loader)["http_interactions"]
    return interactions


def _route(method: str, path: str) -> tuple[str, ...] | None:
    for (verb, pattern), kinds in ROUTES.items():
        if verb == method and re.fullmatch(pattern, path):
            return kinds
    return None


# Cassettes on emulated routes that still cannot be replayed, and why (docs/emulators-trello.md).
EXCLUDED = {
    "action_find_with_id_and_get_all_fields": "reads a createCustomField action; no such action is emulated"
}


def _replayable(path: Path) -> bool:
    """A cassette is replayed when every request in it is on an emulated route."""
    if path.stem in EXCLUDED:
        return False
    for step in _load(path):
        req = step["request"]
        if _route(req["method"].upper(), urlsplit(req["uri"]).path) is None:
            return False
    return True


CASSETTES = sorted(p for p in RECORDED.glob("*.yml") if _replayable(p))


def _world(emu: TrelloEmulator, hook_url: str) -> dict[str, str]:
    """Equivalent state, built in-process: a board, a list, two labels, a card with a label, a custom field
    item, a comment and a webhook (HTTP costs ~45 ms a request here, the replay itself stays over HTTP)."""
    ctx = emu.ctx
    spec = {
        "name": "IT 1",
        "labels": [{"name": "G", "color": "green"}, {"name": "O", "color": "orange"}],
        "customFields": [{"name": "Point", "type": "text"}],
        "lists": [{"name": "L1", "cards": [{"name": "C1", "labels": ["G"]}]}],
    }
    ids = seed_from_dict(ctx, {"boards": [spec]})
    board, card = ids["IT 1"], ids["C1"]
    member = ctx.state.member_for(OPS)
    assert member is not None
    set_field_item(ctx, member, card, ids["Point"], {"value": {"text": "nice"}})
    board_obj, card_obj = ctx.state.boards[board], ctx.state.cards[card]
    board_obj["_members"].append(ctx.state.find_member("alice")["id"])  # a teammate, as on the recorded board
    ctx.actions.card_update(member, board_obj, card_obj, {"name": "C0"})
    comment = {"text": "why", "card": card_ref(card_obj), "list": list_ref(ctx.state.lists[ids["L1"]])}
    action = ctx.actions.record("commentCard", member, board_obj, comment)
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
    world = {"board": board, "list": ids["L1"], "card": card, "field": ids["Point"], "webhook": hook_id}
    world["action"] = action["id"]
    checklist = create_checklist(ctx, member, card, {"name": "ToDo"})
    with emu.client() as c:  # one check item, through the API
        item = c.post(f"/1/checklists/{checklist['id']}/checkItems", data={"name": "a"}).json()
    world |= {"checklist": checklist["id"], "checkitem": item["id"]}
    return world | {"label": labels[0], "label2": labels[1], "member": member["id"]}


def _request(
    world: dict[str, str], req: dict[str, Any], hook_url: str
) -> tuple[str, str, dict[str, str], dict[str, str]]:
    """The recorded request with the world's ids in place of the recorded ones."""
    method, uri = req["method"].upper(), urlsplit(req["uri"])
    path = uri.path
    kinds = iter(_route(method, path) or ())
    path = (
        re.sub(ID, lambda _: world[next(kinds)], path)
        .replace("hoppertest", "me")
        .replace("wokenqingtian", "alice")
    )
    query = {k: v for k, v in parse_qsl(uri.query) if k not in ("key", "token")}
    body = (
        dict(parse_qsl(req["body"].get("string") or "")) if "=" in (req["body"].get("string") or "") else {}
    )
    for key, value in list(body.items()):
        if key in BODY_IDS:
            body[key] = world[BODY_IDS[key]]
        elif key == "value" and re.fullmatch(ID, value):
            body[key] = world[VALUE_KINDS[path.rsplit("/", 1)[-1]]]
        elif key == "callbackURL":
            body[key] = hook_url
        elif key in ("idCardSource", "keepFromSource"):  # copying cards is not emulated
            del body[key]
    return method, path, query, body


def _kind(value: Any) -> str:
    return (
        "number" if isinstance(value, int | float) and not isinstance(value, bool) else type(value).__name__
    )


def _same_kind(sample: Any, ours: list[Any]) -> Any:
    """The emulated item to compare with a recorded one: same action type when there is one."""
    if isinstance(sample, dict) and "type" in sample:
        return next((o for o in ours if isinstance(o, dict) and o.get("type") == sample["type"]), None)
    return ours[0]


def compare(recorded: Any, ours: Any, where: str = "$") -> list[str]:
    """Differences in keys (recorded keys missing from ours) and JSON types, recursively."""
    if recorded is None or ours is None:
        return []
    if _kind(recorded) != _kind(ours):
        return [f"{where}: {_kind(recorded)} recorded, {_kind(ours)} emulated"]
    if isinstance(recorded, dict):
        if where.endswith(".value"):  # a custom-field value: one key named by the field's type
            return []
        problems = [
            f"{where}.{k}: missing"
            for k in recorded
            if k not in ours and k not in NOT_EMULATED | MEMBER_EXTRAS
        ]
        for key in recorded:
            if key in ours and key not in NOT_EMULATED:
                problems += compare(recorded[key], ours[key], f"{where}.{key}")
        return problems
    if isinstance(recorded, list) and recorded and ours:
        return compare(recorded[0], _same_kind(recorded[0], ours), f"{where}[0]")
    return []


@pytest.mark.http
@pytest.mark.parametrize("cassette", CASSETTES, ids=lambda p: p.stem)
def test_recorded_interaction_replays(
    cassette: Path, shared_trello_emulator: TrelloEmulator, shared_receiver: Receiver
) -> None:
    # One emulator and one receiver for every cassette (each builds its own board).
    emulator, receiver = shared_trello_emulator, shared_receiver
    world = _world(emulator, receiver.url)
    with emulator.client() as c:
        for step in _load(cassette):
            method, path, query, body = _request(world, step["request"], receiver.url)
            answer = c.request(method, path, params={**dict(c.params), **query}, data=body or None)
            recorded = step["response"]
            assert answer.status_code == recorded["status"]["code"], (method, path, answer.text)
            text = recorded["body"].get("string") or ""
            if not text.startswith(("{", "[")):
                assert answer.text == text
                continue
            assert compare(json.loads(text), answer.json()) == [], (method, path)


def test_replay_covers_the_main_endpoints() -> None:
    names = {p.stem for p in CASSETTES}
    assert {
        "can_success_create_a_card",
        "can_success_create_a_webhook",
        "webhook_delete",
        "label_delete",
    } <= names
