"""Change-log records built by hand, at minutes after one fixed instant, for the store tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from app.core.records import ChangeRecord

T0 = datetime(2026, 3, 1, 12, 0, 0, 123456, tzinfo=UTC)


def change(pair: str, minute: int, field: str = "Due", **extra: Any) -> ChangeRecord:
    """A change to card c1 of `pair` seen `minute` minutes after T0."""
    values: dict[str, Any] = {"before": "2026-03-01", "after": "2026-03-02", **extra}
    return ChangeRecord(
        at=T0 + timedelta(minutes=minute),
        pair=pair,
        board_id="b1",
        action_id=f"a{pair}{minute}{field}",
        action_type="updateCard",
        member="Zoë Martín",
        card_id="c1",
        card_name="Launch post 🚀",
        field=field,
        **values,
    )
