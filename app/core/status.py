"""What `/status`, the status page and `boardsheet status` show: a pure function of health, store rows and
the clock.

Everything returned is JSON-ready (times as ISO 8601 UTC plus "12 s ago" words), so the JSON endpoint, the
HTML page and the CLI show the same facts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from itertools import takewhile
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.core.guard_status import trust_status, unapproved_status
from app.core.notice import NOTICE_TEXT, EditSignals, notice_mode
from app.core.records import ChangeRecord, HeldPlan, PairFlags, PairSources, RunRecord
from app.core.schedule import Health
from app.core.tabs import PairTab, tab_status
from app.core.wording import moment_text

FAILING = frozenset({"failed", "refused"})  # run outcomes that leave the sheet behind the board

__all__ = ["PairFacts", "StatusInputs", "ago", "build_status", "iso"]


@dataclass(frozen=True)
class PairFacts:
    """Everything known about one pair at one moment (times: epoch seconds)."""

    name: str
    board: str
    spreadsheet: str
    tab: str
    health: Health | None = None  # None where nothing runs (the CLI)
    last_run: RunRecord | None = None
    rows: int | None = None  # rows in the last synced base
    held: Sequence[HeldPlan] = ()  # plans waiting for approval
    last_webhook: float | None = None  # the last accepted webhook for this pair
    failing_since: float | None = None
    last_synced: float | None = None  # the last successful run any replica recorded in the store
    flags: PairFlags = field(default_factory=PairFlags)  # the shared pause flag (who, why)
    sources: PairSources | None = None  # names and links, once a run has read them
    runs: Sequence[RunRecord] = ()  # the run history, newest first
    timezone: str = "UTC"
    known_tab: PairTab | None = None  # the tab the pair last read, by sheet id (followed across renames)
    edits: EditSignals = field(default_factory=EditSignals)  # how its sheet edits are noticed
    guard_log: Sequence[ChangeRecord] = ()  # the pair's trust and approval records, newest first


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


@dataclass(frozen=True)
class StatusInputs:
    """The whole service's facts for one status answer."""

    now: float
    pairs: Sequence[PairFacts]
    changes: Sequence[ChangeRecord] = ()  # already in each pair's sheet language
    public_url: str | None = None
    admin_enabled: bool = False
    registration: Mapping[str, Any] = field(default_factory=dict)
    version: str = ""
    config_hint: str = ""  # " -c FILE" when the CLI was given one, repeated in the hints


def iso(seconds: float | None) -> str | None:
    """Epoch seconds as ISO 8601 UTC (to the second), None stays None."""
    if seconds is None:
        return None
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="seconds")


def ago(seconds: float | None, now: float) -> str | None:
    """How long ago, in words people read at a glance: "12 s ago", "3 min ago", "2 h ago", "4 d ago"."""
    if seconds is None:
        return None
    delta = max(0, round(now - seconds))
    if delta < 90:
        return f"{delta} s ago"
    if delta < 90 * 60:
        return f"{round(delta / 60)} min ago"
    if delta < 36 * 3600:
        return f"{round(delta / 3600)} h ago"
    return f"{round(delta / 86400)} d ago"


def within(seconds: float | None, now: float) -> str | None:
    """How soon, in words: "in 12 s", "in 4 min", "now" once due."""
    if seconds is None:
        return None
    delta = round(seconds - now)
    if delta <= 0:
        return "now"
    return f"in {delta} s" if delta < 90 else f"in {round(delta / 60)} min"


def synced_at(p: PairFacts) -> float | None:
    """When the sheet was last brought in sync, by this replica or any other sharing the store."""
    times = [t for t in (p.health.last_success if p.health else None, p.last_synced) if t is not None]
    return max(times, default=None)


def freshness(p: PairFacts, now: float) -> str:
    """How fresh the sheet is, in words: "updated 12 s ago" or "never updated"."""
    synced = synced_at(p)
    return f"updated {ago(synced, now)}" if synced is not None else "never updated"


def _paused(p: PairFacts) -> bool:
    return p.flags.paused or bool(p.health and p.health.paused)


def _state(p: PairFacts, now: float) -> tuple[str, str]:
    """(state, summary) of one pair, the most urgent fact first."""
    h = p.health
    if _paused(p):
        who = f" by {p.flags.paused_by}" if p.flags.paused_by else ""
        why = f" ({p.flags.reason})" if p.flags.reason else ""
        return "paused", f"paused{who}{why}: nothing is synced until it is resumed"
    if p.held:
        return "held", f"waiting for approval: {p.held[0].reason}"
    if h is not None and not h.healthy:
        since = iso(p.failing_since or h.last_error_at) or "the last run"
        return "failing", f"failing since {since}: {h.last_error or 'the last run failed'}"
    if h is None and p.last_run is not None and p.last_run.outcome in FAILING:
        # Where nothing runs (the CLI), the store's runs say it: a refused key column is not "in sync".
        streak = list(takewhile(lambda run: run.outcome in FAILING, p.runs or [p.last_run]))
        first = iso(streak[-1].finished_at.timestamp()) if streak else None
        return (
            "failing",
            f"failing since {first or 'the last run'}: {p.last_run.message or 'the last run failed'}",
        )
    return _running_state(p, now)


def _running_state(p: PairFacts, now: float) -> tuple[str, str]:
    """(state, summary) of a pair neither paused, held nor failing."""
    h = p.health
    if h is not None and h.waiting_since is not None:
        since = clock_time(h.waiting_since, p.timezone)
        return "waiting", f"waiting for another replica's run since {since}; {freshness(p, now)}"
    if synced_at(p) is not None:
        return "in_sync", f"in sync, {freshness(p, now)}"
    if h is not None and h.running:
        return "syncing", "first sync running"
    return "pending", "not synced yet"


def clock_time(seconds: float, timezone: str) -> str:
    """Epoch seconds as HH:MM on the clock of `timezone` (an IANA name; UTC when unknown)."""
    try:
        zone: tzinfo = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = UTC
    return datetime.fromtimestamp(seconds, zone).strftime("%H:%M")


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
    state, summary = _state(p, now)
    synced = synced_at(p)
    # A run the timer, startup or a person asked for, not one only webhooks asked for.
    last_reconcile = h.last_reconcile if h is not None else None
    reconcile_at = h.next_reconcile_at if h is not None and not _paused(p) else None
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
        "paused": _paused(p),
        "paused_by": p.flags.paused_by,
        "paused_reason": p.flags.reason,
        "running": bool(h and h.running),
        "waiting_since": iso(h.waiting_since if h else None),
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
