"""Board membership routes of the Trello emulator: add (PUT) and remove (DELETE) a board member."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from connectors.emulators.trello.http import Ctx, member_of, params
from connectors.emulators.trello.render import board_json, member_json
from connectors.emulators.trello.state import TrelloError, TrelloState

MEMBER_TYPES = ("admin", "normal", "observer")


def _member_entry(state: TrelloState, member_id: str, kind: str) -> dict[str, Any]:
    """A board member as the membership routes list them (with confirmed and memberType)."""
    return {"id": member_id, "confirmed": True, "memberType": kind} | member_json(state.members[member_id])


def memberships(state: TrelloState, board: dict[str, Any]) -> list[dict[str, Any]]:
    """The board's memberships (its creator is admin unless told otherwise)."""
    types: dict[str, str] = board.setdefault("_member_types", {})
    ids: dict[str, str] = board.setdefault("_membership_ids", {})
    found = []
    for index, member_id in enumerate(board["_members"]):
        kind = types.get(member_id, "admin" if index == 0 else "normal")
        membership_id = ids.setdefault(member_id, state.new_id())
        found.append({"id": membership_id, "idMember": member_id, "memberType": kind})
        found[-1] |= {"unconfirmed": False, "deactivated": False}
    return found


def board_member_router(ctx: Ctx) -> APIRouter:
    """PUT and DELETE /1/boards/{id}/members/{idMember or username}."""
    router = APIRouter(prefix="/1/boards/{board_id}/members")
    state = ctx.state

    @router.put("/{ref}")
    async def add_member(board_id: str, ref: str, request: Request) -> dict[str, Any]:
        p = await params(request)
        kind = str(p.get("type") or "normal")
        if kind not in MEMBER_TYPES:
            raise TrelloError(400, "invalid value for type")
        with state.lock:
            board, added = state.get("boards", board_id), state.find_member(ref)
            board.setdefault("_member_types", {})[added["id"]] = kind
            if added["id"] not in board["_members"]:
                board["_members"].append(added["id"])
                added.setdefault("idBoards", []).append(board["id"])
            found = memberships(state, board)
            members = [_member_entry(state, m["idMember"], m["memberType"]) for m in found]
        data = {"idMemberAdded": added["id"], "memberType": kind}
        ctx.actions.record("addMemberToBoard", member_of(request), board, data, member=member_json(added))
        return {"id": board["id"], "members": members, "memberships": found}

    @router.delete("/{ref}")
    async def remove_member(board_id: str, ref: str, request: Request) -> dict[str, Any]:
        with state.lock:
            board, gone = state.get("boards", board_id), state.find_member(ref)
            if gone["id"] not in board["_members"]:
                raise TrelloError(400, "member not on board")
            board["_members"].remove(gone["id"])
            if board["id"] in gone.get("idBoards", []):
                gone["idBoards"].remove(board["id"])
            for card in state.cards.values():  # off the board, off its cards (issue 8: Trello's behaviour)
                if card["idBoard"] == board["id"] and gone["id"] in card["idMembers"]:
                    card["idMembers"].remove(gone["id"])
            found = memberships(state, board)
            members = [_member_entry(state, m["idMember"], m["memberType"]) for m in found]
        data = {"deactivated": False, "idMember": gone["id"]}
        ctx.actions.record("removeMemberFromBoard", member_of(request), board, data, member=member_json(gone))
        return board_json(board) | {"members": members}

    return router
