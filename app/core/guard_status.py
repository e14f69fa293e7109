"""The status's view of "trust no one" events and cards waiting for approval, from the change log."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.core.approvals import CLEARED, FLAGGED, flagged_now, flagged_since
from app.core.records import ChangeRecord

TRUST = "trustEvent"  # the change log's action type of a trust event (runtime/sheet_guard.py)
TRUST_SHOWN = 10
GUARDED = (TRUST, FLAGGED, CLEARED)  # the change log's records the status reads back here


def trust_status(records: Sequence[ChangeRecord]) -> list[dict[str, Any]]:
    """The pair's latest trust events (records newest first): when, what, where, who."""
    return [
        {
            "at": r.at.isoformat(timespec="seconds"),
            "tab": r.card_name,
            "what": r.before,
            "kind": r.after,
            "who": r.member,
        }
        for r in records
        if r.action_type == TRUST
    ][:TRUST_SHOWN]


def unapproved_status(records: Sequence[ChangeRecord]) -> list[dict[str, Any]]:
    """The cards flagged now (in a list needing approval, unapproved), oldest flag first: each under its
    title and list as its latest flagging record says (a rename or a move is re-recorded), waiting since
    its first flag."""
    since = flagged_since(records)
    flagged = sorted(flagged_now(records).values(), key=lambda r: since.get(r.card_id, r.at))
    return [
        {
            "card_id": r.card_id,
            "card": r.card_name,
            "since": since.get(r.card_id, r.at).isoformat(timespec="seconds"),
            "why": r.after,
        }
        for r in flagged
    ]
