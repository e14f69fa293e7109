"""The sharing audit's part of the Store: per spreadsheet, the owner last seen, when it was audited, the
events still standing and the last held plan applied (a mixin of `Store`, like drive_state)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from app.store import plans
from app.store.parts import StoreParts
from app.store.tables import sharing_audits

__all__ = ["SharingAudit", "SharingStateMixin"]


@dataclass(frozen=True)
class SharingAudit:
    """What the last audit of a spreadsheet left: `events` are dicts (kind, key, message, since)."""

    spreadsheet: str
    owner: str | None = None
    audited_at: datetime | None = None
    events: list[dict[str, Any]] = field(default_factory=list)
    applied_plan: int | None = None


class SharingStateMixin(StoreParts):
    """Sharing audits (see Store)."""

    def sharing_audit(self, spreadsheet: str) -> SharingAudit:
        """The spreadsheet's last audit (an empty one before the first)."""
        query = sa.select(sharing_audits).where(sharing_audits.c.spreadsheet == spreadsheet)
        with self._translated("read a sharing audit"), self._engine.begin() as connection:
            row = connection.execute(query).first()
        if row is None:
            return SharingAudit(spreadsheet)
        events = json.loads(row.events)
        return SharingAudit(spreadsheet, row.owner, row.audited_at, events, row.applied_plan)

    def save_sharing_audit(self, audit: SharingAudit) -> None:
        """Insert or replace the spreadsheet's audit row."""
        values = {
            "owner": audit.owner,
            "audited_at": audit.audited_at,
            "events": json.dumps(audit.events, sort_keys=True),
            "applied_plan": audit.applied_plan,
        }
        with self._translated("save a sharing audit"), self._engine.begin() as connection:
            self._upsert(connection, sharing_audits, {"spreadsheet": audit.spreadsheet}, values)

    def clear_waiting_plans(self, key: str) -> None:
        """Drop the plans held under `key` still waiting for approval (no longer needed)."""
        with self._translated("clear a held sharing plan"), self._engine.begin() as connection:
            plans.clear_waiting(connection, key)
