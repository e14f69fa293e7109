"""The sharing audit's seams: the Drive calls it needs, what one audit did, where its plan is held."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from app.config.sharing import SpreadsheetSharing
from app.core.sharing import SharingPlan, TrustEvent
from connectors.drive.permissions import DrivePermission

__all__ = ["AuditReport", "SharingApi", "held_key"]


def held_key(sheet: SpreadsheetSharing) -> str:
    """The key of the spreadsheet's held removal plan (not a pair's own name: runs clear those)."""
    return f"sharing:{sheet.pair}"


class SharingApi(Protocol):
    """The DriveConnector methods the audit needs."""

    def permissions(self, file_id: str) -> list[DrivePermission]: ...

    def grant(
        self, file_id: str, kind: str, address: str, role: str, *, notify: bool = False
    ) -> DrivePermission: ...

    def change_role(self, file_id: str, permission_id: str, role: str) -> DrivePermission: ...

    def revoke(self, file_id: str, permission_id: str) -> None: ...


@dataclass
class AuditReport:
    """What one audit did."""

    spreadsheet: str
    plan: SharingPlan
    granted: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    removed_ids: set[str] = field(default_factory=set)  # the permissions taken back or lowered
    errors: list[str] = field(default_factory=list)  # grants Drive refused (the audit went on)
    new_events: list[TrustEvent] = field(default_factory=list)
    held_plan: int | None = None
    paused: list[str] = field(default_factory=list)  # its paused pairs: nothing was written
