"""Approval of held plans: an approved plan lets the next run delete the rows it named, once."""

from __future__ import annotations

from collections.abc import Sequence

from app.store import Store


def approved_deletes(store: Store, pair: str, keys: Sequence[str]) -> bool:
    """True when someone approved a held plan deleting at least these keys and no run has applied it yet."""
    wanted = set(keys)
    applied_since = [run.started_at for run in store.runs(pair, limit=20) if run.rows_removed > 0]
    for held in store.held_plans(pair):
        if held.approved_at is None:
            continue
        if any(started >= held.approved_at for started in applied_since):
            continue  # already consumed by a run that deleted rows after the approval
        held_keys = {delete["key"] for delete in held.plan.get("deletes", [])}
        if wanted <= held_keys:
            return True
    return False
