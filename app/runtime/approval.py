"""Approval of held plans: an approved plan lets the next run delete the rows it named, once; the rows it
removed then go to the change log with who approved them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from app.core.records import ChangeRecord, HeldPlan
from app.runtime.preview import Preview
from app.store.store import Store

__all__ = ["ROW_REMOVED", "approved_deletes", "approved_plan", "deletion_records"]

ROW_REMOVED = "row removed"


def approved_plan(store: Store, pair: str, keys: Sequence[str]) -> HeldPlan | None:
    """The approved, not yet applied held plan deleting at least these keys; None when there is none."""
    wanted = set(keys)
    for held in store.held_plans(pair):
        if held.approved_at is None:
            continue
        if store.deleted_rows_since(pair, held.approved_at):
            continue  # already spent: a run deleted rows after the approval
        held_keys = {delete["key"] for delete in held.plan.get("deletes", [])}
        if wanted <= held_keys:
            return held
    return None


def approved_deletes(store: Store, pair: str, keys: Sequence[str]) -> bool:
    """True when someone approved a held plan deleting at least these keys and no run has applied it yet."""
    return approved_plan(store, pair, keys) is not None


def deletion_records(preview: Preview, now: datetime) -> list[ChangeRecord]:
    """One change-log record per row an approved plan removed: who approved, which card's row went."""
    held = preview.approved
    if held is None:
        return []
    return [
        ChangeRecord(
            at=now,
            pair=preview.pair,
            board_id="",  # no Trello action: the approval made it
            action_id=f"plan-{held.id}-{delete.key}"[:64],
            action_type="approvedDelete",
            member=held.approved_by or "someone",
            card_id=delete.key,
            card_name=preview.facts.titles.get(delete.key, ""),
            field=ROW_REMOVED,
            before=f"{delete.reason}; held plan {held.id}",
            after=None,
        )
        for delete in preview.plan.deletes
    ]
