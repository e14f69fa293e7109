"""Which Trello webhooks are boardsheet's own, whatever host they call back.

A webhook is ours when it calls our callback URL, or when its description is the one boardsheet writes
("boardsheet: pair-a pair-b", see `pairs.webhook_descriptions`). The description survives a change of
BOARDSHEET_PUBLIC_URL (a new host, http → https, 127.0.0.1 → localhost): Trello keeps calling the old
URL until the webhook is deleted, so every action would arrive twice, and the old copy would fail the
signature check (Trello signs the body plus the callback URL it was registered with:
https://developer.atlassian.com/cloud/trello/guides/rest-api/webhooks/#webhook-signatures).
Webhooks of other integrations on the same token never carry that description and are never touched.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from app.runtime.pairs import WEBHOOK_DESCRIPTION

__all__ = ["WebhookLister", "is_ours", "is_stale", "our_webhooks"]


class WebhookLister(Protocol):
    """The one TrelloConnector method recognition needs."""

    def list_webhooks(self) -> list[dict[str, Any]]: ...


def _described_by_us(hook: dict[str, Any]) -> bool:
    """Whether the webhook carries boardsheet's description ("boardsheet: ...")."""
    return str(hook.get("description") or "").startswith(WEBHOOK_DESCRIPTION)


def is_ours(hook: dict[str, Any], callback_url: str | None) -> bool:
    """Whether boardsheet registered this webhook: our callback URL, or our description on any host."""
    return (callback_url is not None and hook.get("callbackURL") == callback_url) or _described_by_us(hook)


def is_stale(hook: dict[str, Any], callback_url: str | None) -> bool:
    """Ours, but calling another URL than `callback_url` (an older BOARDSHEET_PUBLIC_URL)."""
    moved = hook.get("callbackURL") != callback_url
    return callback_url is not None and moved and is_ours(hook, callback_url)


def our_webhooks(trello: WebhookLister, callback_url: str | None) -> list[dict[str, Any]]:
    """The token's webhooks that are ours (see `is_ours`), stale ones included."""
    return mine(trello.list_webhooks(), callback_url)


def mine(hooks: Iterable[dict[str, Any]], callback_url: str | None) -> list[dict[str, Any]]:
    """The webhooks among `hooks` that are ours."""
    return [hook for hook in hooks if is_ours(hook, callback_url)]
