"""The sharing audit when Drive refuses: one refused grant does not stop the others, and a failed
listing is retried after a pause, not on every tick (an in-memory Drive)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from app.config.models import parse_config
from app.runtime.sharing import RETRY_AFTER, SharingAuditor
from app.store.store import Store
from connectors.drive.permissions import DrivePermission
from connectors.errors import BadResponse, Transient
from tests.support.clock import FakeClock

YAML = """\
roles:
  chief: [chief@example.org]
  committee: [group:no-such-group@example.org]
pairs:
  - name: social
    trello: {board: AbCdEfGh}
    sheet: {spreadsheet: sheet-1, tab: Calendar, share: true}
    columns:
      - {header: Title, field: name, two_way: true, editable_by: [chief, committee]}
"""


class MemoryDrive:
    """Drive permissions in memory; refuses groups (as Drive refuses an unknown one) or every listing."""

    def __init__(self) -> None:
        self.listed = 0
        self.down = False
        self.held = [DrivePermission("p0", "user", "owner", "owner@example.org")]

    def permissions(self, file_id: str) -> list[DrivePermission]:
        self.listed += 1
        if self.down:
            raise Transient("Google Drive answered 503", service="drive")
        return list(self.held)

    def grant(
        self, file_id: str, kind: str, address: str, role: str, *, notify: bool = False
    ) -> DrivePermission:
        if kind == "group":
            raise BadResponse(f"Google Drive refused {address}", service="drive")
        permission = DrivePermission(f"p{len(self.held)}", kind, role, address)
        self.held.append(permission)
        return permission

    def change_role(self, file_id: str, permission_id: str, role: str) -> DrivePermission:
        raise AssertionError("not expected")

    def revoke(self, file_id: str, permission_id: str) -> None:
        raise AssertionError("not expected")


def auditor(tmp_path: Path) -> tuple[SharingAuditor, MemoryDrive, FakeClock, Store]:
    clock = FakeClock(1_800_000_000.0)
    store = Store(f"sqlite:///{tmp_path / 'state.db'}", clock=clock.datetime)
    drive = MemoryDrive()
    made = SharingAuditor(parse_config(YAML), drive, store, service_accounts=[], clock=clock)
    return made, drive, clock, store


def test_a_refused_grant_is_logged_and_the_others_still_happen(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    made, drive, _clock, store = auditor(tmp_path)
    with caplog.at_level(logging.WARNING, logger="app.runtime.sharing"):
        report = made.audit(made.sheet("social"))
    assert report is not None and report.granted == ["user chief@example.org as writer"]
    assert len(report.errors) == 1 and "no-such-group@example.org" in report.errors[0]
    assert any(
        "could not share with group no-such-group@example.org" in r.getMessage() for r in caplog.records
    )
    assert [(p.type, p.address) for p in drive.held[1:]] == [("user", "chief@example.org")]
    assert store.sharing_audit("sheet-1").audited_at is not None  # the audit itself completed
    store.close()


def test_a_failed_listing_is_retried_after_a_pause_not_on_every_tick(tmp_path: Path) -> None:
    made, drive, clock, store = auditor(tmp_path)
    drive.down = True
    for _ in range(10):
        made.tick()
        clock.sleep(RETRY_AFTER / 10 - 1)
    assert drive.listed == 1
    clock.sleep(10)
    drive.down = False
    made.tick()
    assert drive.listed == 2 and store.sharing_audit("sheet-1").audited_at is not None
    store.close()
