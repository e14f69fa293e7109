"""Keep a snapshot of the tab each run read, in the state store, when its cell values changed."""

from __future__ import annotations

from typing import Any

from app.core.snapshots import digest, snapshot_document
from app.core.views.list_line import blank_line
from app.store.snapshots import Retention
from app.store.store import Store

__all__ = ["Retention", "keep_snapshot"]


def keep_snapshot(store: Store, pair: str, snapshot: Any, retention: Retention) -> bool:
    """Save the tab's values (a TabSnapshot) unless the newest snapshot equals them; whether it wrote.

    Costs no API call: the run already read the whole tab. A retention of 0 days keeps no snapshot.
    """
    if retention.keep.total_seconds() <= 0:
        return False
    # The freshness line's row is kept empty: refreshing only the line is no change of the tab's values.
    document = snapshot_document(snapshot.sheet_id, snapshot.title, blank_line(snapshot))
    return store.save_snapshot(pair, document, digest(document), retention)
