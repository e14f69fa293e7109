"""Webhook registration: every configured board gets exactly one active webhook to our callback URL.

Only webhooks whose callback URL is ours are ever touched: a token may also serve other integrations, and
their webhooks point elsewhere. Run at start, on every registration tick, and by `boardsheet webhooks`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from connectors.errors import ConnectorError, NotFound

__all__ = [
    "Report",
    "WebhookApi",
    "ensure_webhooks",
    "is_board_id",
    "our_webhooks",
    "remove_webhooks",
    "resolve_board_ids",
]

log = logging.getLogger(__name__)

_BOARD_ID = re.compile(r"[0-9a-f]{24}")


class WebhookApi(Protocol):
    """The three TrelloConnector methods registration uses."""

    def list_webhooks(self) -> list[dict[str, Any]]: ...

    def create_webhook(self, model_id: str, callback_url: str, description: str = "") -> dict[str, Any]: ...

    def delete_webhook(self, webhook_id: str) -> None: ...


class BoardApi(Protocol):
    """What resolving a short link to a board id needs."""

    def board_snapshot(self, board_id: str) -> dict[str, Any]: ...


@dataclass
class Report:
    """What one registration pass did (board ids and webhook ids), and what failed, in plain words."""

    kept: list[str] = field(default_factory=list)  # boards already served by one active webhook
    created: list[str] = field(default_factory=list)  # boards that had none
    recreated: list[str] = field(default_factory=list)  # boards whose webhook Trello deactivated
    deleted: list[str] = field(default_factory=list)  # webhook ids: duplicates and unconfigured boards
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every configured board was handled."""
        return not self.errors

    def summary(self) -> str:
        """One line for logs and the CLI."""
        parts = [
            f"{len(self.kept)} kept",
            f"{len(self.created)} created",
            f"{len(self.recreated)} recreated",
            f"{len(self.deleted)} deleted",
        ]
        if self.errors:
            parts.append(f"{len(self.errors)} failed")
        return ", ".join(parts)


def is_board_id(ref: str) -> bool:
    """True for a 24-hex Trello object id (else the reference is a short link)."""
    return _BOARD_ID.fullmatch(ref) is not None


def resolve_board_ids(trello: BoardApi, refs: Iterable[str]) -> dict[str, str]:
    """Map each board reference (id or short link) to its id; webhooks need ids (1 request per link)."""
    resolved: dict[str, str] = {}
    for ref in refs:
        if ref in resolved:
            continue
        if is_board_id(ref):
            resolved[ref] = ref
            continue
        board_id = trello.board_snapshot(ref).get("id")
        if not isinstance(board_id, str) or not board_id:
            raise ValueError(f"Trello answered board {ref} without an id")
        resolved[ref] = board_id
    return resolved


def our_webhooks(trello: WebhookApi, callback_url: str) -> list[dict[str, Any]]:
    """The token's webhooks that call `callback_url`."""
    return [h for h in trello.list_webhooks() if h.get("callbackURL") == callback_url]


def ensure_webhooks(trello: WebhookApi, boards: Mapping[str, str], callback_url: str) -> Report:
    """Make each board of `boards` (id -> description) have exactly one active webhook to `callback_url`.

    Listing the webhooks failing raises (ConnectorError); a failure on one board is reported in
    `Report.errors` and the other boards are still handled.
    """
    report = Report()
    ours = our_webhooks(trello, callback_url)
    for board_id, description in boards.items():
        hooks = [h for h in ours if h.get("idModel") == board_id]
        try:
            _ensure_one(
                trello,
                board_id,
                description=description,
                hooks=hooks,
                callback_url=callback_url,
                report=report,
            )
        except ConnectorError as exc:
            report.errors.append(f"board {board_id}: {exc}")
    stale = [h for h in ours if h.get("idModel") not in boards]
    _delete(trello, stale, report)
    return report


def remove_webhooks(trello: WebhookApi, callback_url: str, boards: Iterable[str] | None = None) -> Report:
    """Delete our webhooks (all of them, or only those on `boards`); others are never touched."""
    wanted = None if boards is None else set(boards)
    report = Report()
    hooks = [h for h in our_webhooks(trello, callback_url) if wanted is None or h.get("idModel") in wanted]
    _delete(trello, hooks, report)
    return report


def _ensure_one(
    trello: WebhookApi,
    board_id: str,
    *,
    description: str,
    hooks: list[dict[str, Any]],
    callback_url: str,
    report: Report,
) -> None:
    """Keep the first active webhook of a board, delete the others, create one when none is active."""
    active = [h for h in hooks if h.get("active", True)]
    keep = active[0] if active else None
    _delete(trello, [h for h in hooks if h is not keep], report)
    if keep is not None:
        report.kept.append(board_id)
        return
    # Inactive ones were deleted above: Trello refuses a second webhook with the same model and URL.
    trello.create_webhook(board_id, callback_url, description)
    (report.recreated if hooks else report.created).append(board_id)


def _delete(trello: WebhookApi, hooks: list[dict[str, Any]], report: Report) -> None:
    """Delete webhooks, recording each id deleted or the failure."""
    for hook in hooks:
        hook_id = str(hook.get("id", ""))
        try:
            trello.delete_webhook(hook_id)
        except NotFound:
            pass  # already gone (Trello removes webhooks whose model was deleted): the goal is met
        except ConnectorError as exc:
            report.errors.append(f"webhook {hook_id}: {exc}")
        else:
            report.deleted.append(hook_id)
