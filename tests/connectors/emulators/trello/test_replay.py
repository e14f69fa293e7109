"""Replay recorded real Trello traffic against the emulator: same status, keys and JSON types.

The world, the routes replayed and the id mapping are in tests/support/trello_replay.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.trello_emulator import Receiver, TrelloEmulator
from tests.support.trello_replay import RECORDED, load, replayable, request, sticky_kinds, world

# Documented differences (docs/emulators.md): keys the emulator does not produce.
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

# Cassettes on emulated routes that still cannot be replayed, and why (docs/emulators.md).
EXCLUDED: dict[str, str] = {}
CASSETTES = sorted(p for p in RECORDED.glob("*.yml") if replayable(p, EXCLUDED))


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
    objects = world(emulator, receiver.url)
    steps = load(cassette)
    sticky = sticky_kinds(steps)
    with emulator.client() as c:
        for step in steps:
            method, path, query, body, files = request(objects, step["request"], receiver.url, sticky)
            answer = c.request(
                method, path, params={**dict(c.params), **query}, data=body or None, files=files or None
            )
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
