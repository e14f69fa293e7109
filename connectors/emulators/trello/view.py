"""Read-only HTML view of a board: lists as columns, cards in them, all text escaped."""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, RedirectResponse

from connectors.emulators.trello.colours import label_style
from connectors.emulators.trello.state import TrelloState

_STYLE = (
    "body{font-family:sans-serif;background:#0079bf;margin:0;padding:12px}"
    "h1{color:#fff}.lists{display:flex;gap:10px;align-items:flex-start}"
    ".list{background:#ebecf0;border-radius:4px;width:260px;padding:8px}"
    ".card{background:#fff;border-radius:3px;margin:6px 0;padding:6px;box-shadow:0 1px 0 #ccc}"
    ".meta{color:#5e6c84;font-size:12px}.label{border-radius:3px;padding:0 4px;margin-right:3px}"
    ".card:target{outline:3px solid #ffab00}a{color:#fff}"
)


def human_date(text: str) -> str:
    """Trello's ISO 8601 due date as people read it: "Tue 1 Dec 2026, 09:00 UTC" (date alone at midnight)."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    day = f"{moment:%a} {moment.day} {moment:%b %Y}"
    return day if (moment.hour, moment.minute) == (0, 0) else f"{day}, {moment:%H:%M} UTC"


def _card_html(state: TrelloState, card: dict[str, Any]) -> str:
    """One card (its short link is its anchor, so card links land on it): labels, name, due date."""
    labels = "".join(
        f'<span class="label" style="{label_style(state.labels[i]["color"])}">'
        f"{escape(state.labels[i]['name'] or ' ')}</span>"
        for i in card["idLabels"]
        if i in state.labels
    )
    due = f'<div class="meta">due {escape(human_date(card["due"]))}</div>' if card["due"] else ""
    anchor = escape(str(card.get("shortLink") or card["id"]))
    return f'<div class="card" id="card-{anchor}">{labels}<div>{escape(card["name"])}</div>{due}</div>'


def render_index(state: TrelloState) -> str:
    """The emulator's root: what it is and a link to each board's page."""
    boards = "".join(
        f'<li><a href="/b/{escape(b["shortLink"])}">{escape(b["name"])}</a></li>'
        for b in state.boards.values()
        if not b.get("closed")
    )
    return (
        f"<!doctype html><html><head><meta charset=utf-8><title>Trello emulator</title>"
        f"<style>{_STYLE}</style></head><body><h1>Trello emulator</h1>"
        '<p style="color:#fff">The Trello REST API under <code>/1/</code>; request log at '
        '<a href="/_emulator/requests">/_emulator/requests</a>.</p>'
        f'<ul style="color:#fff">{boards or "<li>no board yet</li>"}</ul></body></html>'
    )


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
    """GET /: an index page; GET /b/{board_id}: the board page; GET /c/{card}: that card on its board."""
    router = APIRouter()

    @router.get("/", response_class=HTMLResponse)
    def index() -> HTMLResponse:
        with state.lock:
            return HTMLResponse(render_index(state))

    @router.get("/c/{short_link}", response_model=None)
    @router.get("/c/{short_link}/{slug}", response_model=None)
    def card_page(short_link: str, slug: str = "") -> HTMLResponse | RedirectResponse:
        # Card URLs (https://trello.com/c/<shortLink>/<slug>) open the card's board, scrolled to it.
        with state.lock:
            card = next(
                (c for c in state.cards.values() if short_link in (c.get("shortLink"), c["id"])), None
            )
            board = state.boards.get(card["idBoard"]) if card is not None else None
        if card is None or board is None:
            return HTMLResponse("<!doctype html><p>Card not found.</p>", status_code=404)
        return RedirectResponse(f"/b/{board['shortLink']}#card-{card.get('shortLink') or card['id']}")

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
