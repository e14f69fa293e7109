"""Approval of held plans: an approved plan lets the next run delete the rows it named, once."""

from __future__ import annotations

from collections.abc import Sequence

from app.store.store import Store


def approved_deletes(store: Store, pair: str, keys: Sequence[str]) -> bool:
    """True when someone approved a held plan deleting at least these keys and no run has applied it yet."""
    wanted = set(keys)
    for held in store.held_plans(pair):
        if held.approved_at is None:
            continue
        if store.deleted_rows_since(pair, held.approved_at):
            continue  # already spent: a run deleted rows after the approval
        held_keys = {delete["key"] for delete in held.plan.get("deletes", [])}
        if wanted <= held_keys:
            return True
    return False
