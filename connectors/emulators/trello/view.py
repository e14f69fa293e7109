"""Read-only HTML view of a board: lists as columns, cards in them, all text escaped."""

from __future__ import annotations

from html import escape
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from connectors.emulators.trello.state import TrelloState

_STYLE = (
    "body{font-family:sans-serif;background:#0079bf;margin:0;padding:12px}"
    "h1{color:#fff}.lists{display:flex;gap:10px;align-items:flex-start}"
    ".list{background:#ebecf0;border-radius:4px;width:260px;padding:8px}"
    ".card{background:#fff;border-radius:3px;margin:6px 0;padding:6px;box-shadow:0 1px 0 #ccc}"
    ".meta{color:#5e6c84;font-size:12px}.label{border-radius:3px;padding:0 4px;margin-right:3px;color:#fff}"
)


def _card_html(state: TrelloState, card: dict[str, Any]) -> str:
    """One card: labels, name, due date."""
    labels = "".join(
        f'<span class="label" style="background:{escape(state.labels[i]["color"] or "grey")}">'
        f"{escape(state.labels[i]['name'])}</span>"
        for i in card["idLabels"]
        if i in state.labels
    )
    due = f'<div class="meta">due {escape(card["due"])}</div>' if card["due"] else ""
    return f'<div class="card">{labels}<div>{escape(card["name"])}</div>{due}</div>'


def render_board(state: TrelloState, board: dict[str, Any]) -> str:
    """The whole page for one board."""
    columns = []
    lists = sorted(
        (x for x in state.lists.values() if x["idBoard"] == board["id"] and not x["closed"]),
        key=lambda x: x["pos"],
    )
    for lst in lists:
        cards = sorted(
            (c for c in state.cards.values() if c["idList"] == lst["id"] and not c["closed"]),
            key=lambda c: c["pos"],
        )
        body = "".join(_card_html(state, c) for c in cards)
        columns.append(f'<div class="list"><h3>{escape(lst["name"])}</h3>{body}</div>')
    title = escape(board["name"])
    return (
        f"<!doctype html><html><head><meta charset=utf-8><title>{title}</title><style>{_STYLE}</style></head>"
        f'<body><h1>{title}</h1><div class="lists">{"".join(columns)}</div></body></html>'
    )


def view_router(state: TrelloState) -> APIRouter:
    """GET /b/{board_id}: the board page (404 page for an unknown board)."""
    router = APIRouter()

    @router.get("/b/{board_id}", response_class=HTMLResponse)
    def board_page(board_id: str) -> HTMLResponse:
        with state.lock:
            board = state.boards.get(board_id) or next(
                (b for b in state.boards.values() if b["shortLink"] == board_id), None
            )
            if board is None:
                return HTMLResponse("<!doctype html><p>Board not found.</p>", status_code=404)
            return HTMLResponse(render_board(state, board))

    return router
