"""Stored objects rendered with Trello's field names and value types."""

from __future__ import annotations

from typing import Any

from connectors.emulators.trello.state import LABEL_COLORS, TrelloState

_EMOJI: dict[str, Any] = {"emoji": {}}
_NO_COVER = {
    "idAttachment": None,
    "color": None,
    "idUploadedBackground": None,
    "size": "normal",
    "brightness": "light",
}


def member_json(member: dict[str, Any], full: bool = False) -> dict[str, Any]:
    """A member as Trello nests it (memberCreator, board members) or, with full, as /members/me."""
    short = {
        "id": member["id"],
        "activityBlocked": False,
        "avatarHash": None,
        "avatarUrl": None,
        "fullName": member["fullName"],
        "idMemberReferrer": None,
        "initials": member["initials"],
        "nonPublic": {},
        "nonPublicAvailable": True,
        "username": member["username"],
    }
    if not full:
        return short
    extra: dict[str, Any] = {
        "bio": "",
        "bioData": None,
        "confirmed": True,
        "memberType": "normal",
        "idEnterprise": None,
    }
    extra.update(
        {"idOrganizations": [], "url": f"https://trello.com/{member['username']}", "status": "disconnected"}
    )
    return {**short, **extra, "email": None, "idBoards": member.get("idBoards", [])}


def label_json(label: dict[str, Any]) -> dict[str, Any]:
    """A label."""
    return {k: label[k] for k in ("id", "idBoard", "name", "color")}


def list_json(lst: dict[str, Any]) -> dict[str, Any]:
    """A list (pos is a number)."""
    return {k: lst[k] for k in ("id", "name", "closed", "pos", "idBoard")} | {
        "subscribed": False,
        "softLimit": None,
        "creationMethod": None,
    }


def field_json(cf: dict[str, Any]) -> dict[str, Any]:
    """A custom-field definition (options only on list fields)."""
    out = {k: cf[k] for k in ("id", "idModel", "modelType", "fieldGroup", "display", "name", "pos", "type")}
    if cf["type"] == "list":
        out["options"] = cf["options"]
    return out | {"isSuggestedField": False}  # recorded: can_success_delete_a_custom_field_option.yml


def card_json(
    state: TrelloState, card: dict[str, Any], with_items: bool = False, with_attachments: bool = False
) -> dict[str, Any]:
    """A card with its labels, badges and (optionally) customFieldItems and attachments."""
    out = {k: v for k, v in card.items() if not k.startswith("_")}
    out["labels"] = [label_json(state.labels[i]) for i in card["idLabels"] if i in state.labels]
    out["idChecklists"] = [c["id"] for c in state.checklists.values() if c["idCard"] == card["id"]]
    items = [cl for cl in state.checklists.values() if cl["idCard"] == card["id"]]
    check_items = [i for cl in items for i in cl["checkItems"]]
    out["badges"] = {
        "attachmentsByType": {"trello": {"board": 0, "card": 0}},
        "location": False,
        "votes": 0,
        "viewingMemberVoted": False,
        "subscribed": False,
        "fogbugz": "",
        "checkItems": len(check_items),
        "checkItemsChecked": sum(1 for i in check_items if i["state"] == "complete"),
        "checkItemsEarliestDue": None,
        "comments": card["_comments"],
        "attachments": len(card.get("_attachments", [])),
        "description": bool(card["desc"]),
        "due": card["due"],
        "dueComplete": card["dueComplete"],
        "start": card["start"],
    }
    if with_items:
        out["customFieldItems"] = card_items(state, card["id"])
    if with_attachments:
        out["attachments"] = [dict(a) for a in card.get("_attachments", [])]
    return out


def card_items(state: TrelloState, card_id: str) -> list[dict[str, Any]]:
    """The custom-field items set on one card."""
    return [dict(item) for (cid, _), item in state.field_items.items() if cid == card_id]


def new_card(state: TrelloState, board: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    """A card dict with every stored Trello field (fields overrides the defaults)."""
    card_id = state.new_id()
    short = state.short_link(card_id)
    id_short = board["_next_short"]
    board["_next_short"] += 1
    card: dict[str, Any] = {
        "id": card_id,
        "checkItemStates": [],
        "closed": False,
        "dateLastActivity": None,
        "desc": "",
        "descData": _EMOJI,
        "dueReminder": None,
        "idBoard": board["id"],
        "idList": "",
        "idMembersVoted": [],
        "idShort": id_short,
        "idAttachmentCover": None,
        "idLabels": [],
        "manualCoverAttachment": False,
        "name": "",
        "pos": 16384.0,
        "shortLink": short,
        "isTemplate": False,
        "dueComplete": False,
        "due": None,
        "start": None,
        "email": None,
        "shortUrl": f"https://trello.com/c/{short}",
        "url": f"https://trello.com/c/{short}",
        "cover": dict(_NO_COVER),
        "idMembers": [],
        "subscribed": False,
        "address": None,
        "coordinates": None,
        "locationName": None,
        "staticMapUrl": None,
        "cardRole": None,
        "creationMethod": None,
        "_comments": 0,
    }
    card.update(fields)
    return card


def board_json(board: dict[str, Any]) -> dict[str, Any]:
    """A board's own fields."""
    return {k: v for k, v in board.items() if not k.startswith("_")}


def new_board(state: TrelloState, name: str, desc: str, permission: str, creator: str) -> dict[str, Any]:
    """A board dict with Trello's fields."""
    board_id = state.new_id()
    short = state.short_link(board_id)
    prefs = {
        "permissionLevel": permission,
        "hideVotes": False,
        "voting": "disabled",
        "comments": "members",
        "invitations": "members",
        "selfJoin": True,
        "cardCovers": True,
        "isTemplate": False,
        "cardAging": "regular",
        "calendarFeedEnabled": False,
        "background": "blue",
        "backgroundImage": None,
        "backgroundImageScaled": None,
        "backgroundTile": False,
        "backgroundBrightness": "dark",
        "backgroundColor": "#0079BF",
        "backgroundBottomColor": "#0079BF",
        "backgroundTopColor": "#0079BF",
        "canBePublic": True,
        "canBeEnterprise": True,
        "canBeOrg": True,
        "canBePrivate": True,
        "canInvite": True,
    }
    return {
        "id": board_id,
        "name": name,
        "desc": desc,
        "descData": None,
        "closed": False,
        "dateClosed": None,
        "idMemberCreator": creator,
        "idBoardSource": None,
        "creationMethod": None,
        "starred": False,
        "idTags": [],
        "enterpriseOwned": False,
        "subscribed": False,
        "idOrganization": None,
        "idEnterprise": None,
        "pinned": False,
        "url": f"https://trello.com/b/{short}",
        "shortUrl": f"https://trello.com/b/{short}",
        "shortLink": short,
        "labelNames": dict.fromkeys(LABEL_COLORS, ""),
        "prefs": prefs,
        "_members": [],
        "_next_short": 1,
    }


def action_ref(obj: dict[str, Any], *keys: str) -> dict[str, Any]:
    """The short form of an object inside action data (id, name and the given keys)."""
    return {k: obj[k] for k in ("id", "name", *keys) if k in obj}
