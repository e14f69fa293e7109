"""Trello's path rules: what a request path means before routing, and the answer when nothing is there.

- Repeated slashes are one (`/1//members/me`): public clients call `https://api.trello.com/1//boards/...`
  and `/1//member/me/boards` and work (e.g. code found by searching GitHub for "api.trello.com/1//").
- A trailing slash is ignored (py-trello posts webhooks to `.../webhooks/` and lists `members/me/boards/`).
- Route words match in any case (recorded: `GET /1/customfields/{id}/options`,
  can_success_delete_a_custom_field_option.yml) and the singular names alias the plural ones (`/1/card/`,
  `/1/board/`, as py-trello and those clients send).
- Nothing there: 404 `text/plain` "Cannot GET /1/fake_af?" with the request target echoed, query included
  (reported by Trello client tests: ExTrello "Cannot GET /1/fake_af?", "Cannot GET /1/boards/?key=...");
  Trello's status codes page: 404 "We don't have a route registered there"
  (https://developer.atlassian.com/cloud/trello/guides/rest-api/status-codes/).
"""

from __future__ import annotations

import re

from fastapi.responses import PlainTextResponse
from starlette.types import Scope

WORDS = [
    "actions",
    "attachments",
    "boards",
    "boardStars",
    "cards",
    "checkItem",
    "checkItems",
    "checklist",
    "checklists",
    "comments",
    "customField",
    "customFieldItems",
    "customFields",
    "dateLastActivity",
    "labelNames",
    "idBoard",
    "idLabels",
    "idList",
    "idMembers",
    "item",
    "labels",
    "lists",
    "members",
    "options",
    "pluginData",
    "search",
    "stickers",
    "tokens",
    "webhooks",
]
_CANONICAL = {word.lower(): word for word in WORDS}
_SINGULAR = {
    "action": "actions",
    "board": "boards",
    "card": "cards",
    "label": "labels",
    "list": "lists",
    "member": "members",
    "webhook": "webhooks",
    "customfield": "customFields",
}


def normalise(path: str) -> str:
    """The path as Trello routes it: one slash at a time, no trailing slash, canonical route words."""
    path = re.sub(r"/{2,}", "/", path)
    if len(path) > 1:
        path = path.rstrip("/")
    parts = path.split("/")
    if len(parts) > 2 and parts[1] == "1":
        first = parts[2].lower()
        parts[2] = _SINGULAR.get(first, _CANONICAL.get(first, parts[2]))
        parts[3:] = [_CANONICAL.get(p.lower(), p) for p in parts[3:]]
    return "/".join(parts)


def no_route(scope: Scope) -> PlainTextResponse:
    """Trello's answer when no route is registered: 404 "Cannot METHOD /target"."""
    raw = scope.get("raw_path") or scope.get("path", "").encode()
    target = raw.decode("latin-1")
    query = scope.get("query_string", b"").decode("latin-1")
    if query:
        target += "?" + query
    return PlainTextResponse(f"Cannot {scope['method']} {target}", status_code=404)
