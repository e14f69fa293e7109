"""A member's board stars and a minimal search (board and card names), as py-trello's client uses them.

Trello's REST reference: `GET|POST /1/members/{id}/boardStars`, `DELETE /1/members/{id}/boardStars/{idStar}`
(a star is `{id, idBoard, pos}`); `GET /1/search?query=` answers `{"options", "boards", "cards", "members",
"organizations"}` (https://developer.atlassian.com/cloud/trello/rest/api-group-search/). The search here
matches every word of the query against open board and card names the member can see; Trello's ranking,
operators (`board:`, `due:` ...) and partial matching are not emulated.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from connectors.emulators.trello.http import Ctx, member_of, params
from connectors.emulators.trello.render import board_json, card_json
from connectors.emulators.trello.routes.boards import pick
from connectors.emulators.trello.state import TrelloError, TrelloState, not_found


def _member(state: TrelloState, request: Request, ref: str) -> dict[str, Any]:
    return member_of(request) if ref == "me" else state.find_member(ref)


def stars_router(ctx: Ctx) -> APIRouter:
    """/1/members/{id}/boardStars and /1/search."""
    router = APIRouter(prefix="/1")
    state = ctx.state

    @router.get("/members/{ref}/boardStars")
    async def list_stars(ref: str, request: Request) -> list[dict[str, Any]]:
        with state.lock:
            return [dict(s) for s in _member(state, request, ref).get("_stars", [])]

    @router.post("/members/{ref}/boardStars")
    async def add_star(ref: str, request: Request) -> dict[str, Any]:
        p = await params(request)
        with state.lock:
            member = _member(state, request, ref)
            board = state.get("boards", str(p.get("idBoard") or ""))
            stars = member.setdefault("_stars", [])
            if any(s["idBoard"] == board["id"] for s in stars):
                raise TrelloError(400, "Board already starred")
            star = {"id": state.new_id(), "idBoard": board["id"], "pos": state.next_pos(stars, p.get("pos"))}
            stars.append(star)
            board["starred"] = True
            return dict(star)

    @router.delete("/members/{ref}/boardStars/{star_id}")
    async def delete_star(ref: str, star_id: str, request: Request) -> dict[str, Any]:
        with state.lock:
            member = _member(state, request, ref)
            found = next((s for s in member.get("_stars", []) if s["id"] == star_id), None)
            if found is None:
                raise not_found()
            member["_stars"].remove(found)
            if found["idBoard"] in state.boards:
                state.boards[found["idBoard"]]["starred"] = False
        return {"_value": None}

    @router.get("/search")
    async def search(request: Request) -> dict[str, Any]:
        p = await params(request)
        words = str(p.get("query") or "").lower().split()
        if not words:
            raise TrelloError(400, "invalid value for query")
        member = member_of(request)
        with state.lock:
            visible = [state.boards[b] for b in member.get("idBoards", []) if b in state.boards]
            boards = [b for b in visible if not b["closed"] and all(w in b["name"].lower() for w in words)]
            ids = {b["id"] for b in visible}
            cards = [c for c in state.cards.values() if c["idBoard"] in ids and not c["closed"]]
            found = [c for c in cards if all(w in c["name"].lower() for w in words)]
            limit = int(p.get("cards_limit") or 10)
            return {
                "options": {"terms": [{"text": w} for w in words], "modelTypes": ["boards", "cards"]},
                "boards": [
                    pick(board_json(b), p.get("board_fields") or "name,idOrganization") for b in boards
                ],
                "cards": [card_json(state, c) for c in found[:limit]],
                "members": [],
                "organizations": [],
            }

    return router
