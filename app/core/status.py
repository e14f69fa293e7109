"""What `/status`, the status page and `boardsheet status` show: a pure function of health, store rows and
the clock.

Everything returned is JSON-ready (times as ISO 8601 UTC plus "12 s ago" words), so the JSON endpoint, the
HTML page and the CLI show the same facts. The facts come as `status_inputs`, a pair's state from
`status_state`, the times' words from `status_times`.
"""

from __future__ import annotations

from typing import Any

from app.core.guard_status import trust_status, unapproved_status
from app.core.notice import NOTICE_TEXT, EditSignals, notice_mode
from app.core.records import ChangeRecord, HeldPlan, RunRecord
from app.core.status_inputs import PairFacts, StatusInputs
from app.core.status_state import freshness, is_paused, pair_state, synced_at
from app.core.status_times import ago, iso, within
from app.core.tabs import tab_status
from app.core.wording import moment_text

__all__ = ["build_status"]


def edits_status(edits: EditSignals, now: float) -> dict[str, Any]:
    """The `sheet_edits` part of a pair's status."""
    mode = notice_mode(edits, now)
    return {
        "mode": mode,
        "text": NOTICE_TEXT[mode],
        "last_hint": iso(edits.hint_at),
        "last_hint_ago": ago(edits.hint_at, now),
        "last_editor": edits.hint_editor or None,
        "channel_expires_at": iso(edits.channel_expires),
        "last_push_ago": ago(edits.push_at, now),
    }


def _held(plan: HeldPlan, inputs: StatusInputs) -> dict[str, Any]:
    """A held plan with the rows it would delete and the words that tell someone how to approve it."""
    how = f"boardsheet approve {plan.id}{inputs.config_hint}"
    if inputs.admin_enabled:
        base = inputs.public_url or "http://<this service>"
        how += (
            f', or curl -X POST -H "Authorization: Bearer $BOARDSHEET_ADMIN_TOKEN" '
            f"{base}/admin/plans/{plan.id}/approve"
        )
    return {
        "id": plan.id,
        "pair": plan.pair,
        "created_at": plan.created_at.isoformat(timespec="seconds"),
        "reason": plan.reason,
        "rows": list(plan.plan.get("rows", [])),
        "approve": how,
    }


def _run(run: RunRecord | None) -> dict[str, Any] | None:
    """One run in brief: outcome, when, counts."""
    if run is None:
        return None
    return {
        "outcome": run.outcome,
        "message": run.message,
        "started_at": run.started_at.isoformat(timespec="seconds"),
        "finished_at": run.finished_at.isoformat(timespec="seconds"),
        "rows_added": run.rows_added,
        "rows_removed": run.rows_removed,
        "cells_changed": run.cells_changed,
        "api_calls": {
            "trello": run.trello_requests,
            "sheets_reads": run.sheets_reads,
            "sheets_writes": run.sheets_writes,
        },
    }


def _sides(p: PairFacts) -> dict[str, Any]:
    """The board and the spreadsheet by name with their links (ids until a run has read them)."""
    s = p.sources
    return {
        "board": {"id": p.board, "name": s.board_name if s else None, "url": s.board_url if s else None},
        "spreadsheet": {
            "id": p.spreadsheet,
            "title": s.spreadsheet_title if s else None,
            "url": s.spreadsheet_url if s else None,
            "tab": p.tab,
            **tab_status(p.known_tab, p.spreadsheet, p.tab),
        },
    }


def pair_status(p: PairFacts, inputs: StatusInputs) -> dict[str, Any]:
    """One pair's status document."""
    now, h = inputs.now, p.health
    state, summary = pair_state(p, now)
    synced = synced_at(p)
    # A run the timer, startup or a person asked for, not one only webhooks asked for.
    last_reconcile = h.last_reconcile if h is not None else None
    reconcile_at = h.next_reconcile_at if h is not None and not is_paused(p) else None
    return {
        "name": p.name,
        "board": p.board,
        "spreadsheet": p.spreadsheet,
        "tab": p.tab,
        **_sides(p),
        "state": state,
        "summary": summary,
        # Waiting is healthy: the other process's run is the one syncing (a dead one's lease is taken over
        # within seconds, so a long wait means a long run elsewhere).
        "healthy": state in {"in_sync", "syncing", "pending", "waiting"},
        "paused": is_paused(p),
        "paused_by": p.flags.paused_by,
        "paused_reason": p.flags.reason,
        "running": bool(h and h.running),
        "waiting_since": iso(h.waiting_since if h else None),
        "queued_since": iso(h.queued_since if h else None),
        "freshness": freshness(p, now),
        "last_success": iso(synced),
        "last_success_ago": ago(synced, now),
        "last_webhook": iso(p.last_webhook),
        "last_webhook_ago": ago(p.last_webhook, now),
        "sheet_edits": edits_status(p.edits, now),
        "last_reconcile": iso(last_reconcile),
        "last_reconcile_ago": ago(last_reconcile, now),
        "next_run_at": iso(h.next_run_at if h else None),
        "next_reconcile_at": iso(reconcile_at),
        "next_reconcile_in": within(reconcile_at, now),
        "error": h.last_error if h is not None and not h.healthy else None,
        "consecutive_failures": h.consecutive_failures if h else 0,
        "rows": p.rows,
        "last_run": _run(p.last_run),
        "runs": [_run(run) for run in p.runs],
        "held_plans": [_held(plan, inputs) for plan in p.held],
        "trust_events": trust_status(p.guard_log),
        "unapproved": unapproved_status(p.guard_log),
    }


def change_status(change: ChangeRecord, now: float, timezone: str = "UTC") -> dict[str, Any]:
    """One change-log entry: who changed what, when (also as the pair's sheet shows a time)."""
    return {
        "at": change.at.isoformat(timespec="seconds"),
        "when": moment_text(change.at.replace(second=0, microsecond=0), timezone, time=True),
        "ago": ago(change.at.timestamp(), now),
        "pair": change.pair,
        "who": change.member,
        "card": change.card_name,
        "card_id": change.card_id,
        "field": change.field,
        "before": change.before,
        "after": change.after,
    }


def build_status(inputs: StatusInputs) -> dict[str, Any]:
    """The whole status document served at /status, rendered at / and printed by `boardsheet status`."""
    pairs = [pair_status(p, inputs) for p in inputs.pairs]
    zones = {p.name: p.timezone for p in inputs.pairs}
    polling_only = inputs.public_url is None
    mode = (
        "polling only: BOARDSHEET_PUBLIC_URL is not set, so Trello cannot call back; "
        "every pair is reconciled on its timer"
        if polling_only
        else "webhooks and timer"
    )
    changes = sorted(inputs.changes, key=lambda c: c.at, reverse=True)  # newest first, whatever the source
    return {
        "version": inputs.version,
        "generated_at": iso(inputs.now),
        "healthy": all(p["healthy"] for p in pairs),
        "mode": mode,
        "polling_only": polling_only,
        "admin_enabled": inputs.admin_enabled,
        "webhooks": dict(inputs.registration),
        "pairs": pairs,
        "changes": [change_status(c, inputs.now, zones.get(c.pair, "UTC")) for c in changes],
    }
