"""How a pair's sheet edits are noticed: instant (on-edit hints), Drive push, or the timer alone (pure)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["NOTICE_TEXT", "EditSignals", "notice_mode"]


@dataclass(frozen=True)
class EditSignals:
    """How this pair's sheet edits are noticed (times: epoch seconds; None: never)."""

    hint_at: float | None = None  # the last verified instant-mode hint (any replica)
    hint_editor: str = ""
    channel_expires: float | None = None  # the live Drive channel of its spreadsheet, if any
    push_at: float | None = None  # the last verified Drive push message (this replica)


NOTICE_TEXT = {
    "instant": "instant: the sheet's on-edit script posts a signed hint on every edit",
    "drive_push": "Drive push: Google notifies a change (coalesced, up to about 3 minutes)",
    "reconcile_only": "reconcile only: sheet edits are picked up by the next timed run",
}


def notice_mode(edits: EditSignals, now: float) -> str:
    """instant once a hint arrived; else Drive push while a channel lives; else reconcile only."""
    if edits.hint_at is not None:
        return "instant"
    if edits.channel_expires is not None and edits.channel_expires > now:
        return "drive_push"
    return "reconcile_only"
