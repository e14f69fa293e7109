"""The sharing audit's shell: every `audit_every`, per spreadsheet, list its Drive permissions, grant what
the YAML grants, report what nobody granted, and under `sharing: enforce` take it back once approved.

Drive calls only (never the Sheets quota). A thread in the style of the Drive channel keeper wakes every
`poll` seconds and audits the spreadsheets that are due, or that have a newly approved held plan; the
store's lease `sharing:<spreadsheet>` makes one replica at a time audit a spreadsheet, and the store keeps
the last audit (so the hour is kept across replicas and restarts). Removals wait in a held plan under the
key `sharing:<pair>` (the spreadsheet's first pair): `boardsheet approve PLAN_ID` approves it.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Collection
from datetime import UTC, datetime, timedelta

from app.config.models import Config
from app.config.sharing import SpreadsheetSharing, spreadsheet_sharing
from app.core.error_text import describe_error
from app.core.records import ChangeRecord, HeldPlan
from app.core.sharing import Grant, Permission, Removal, SharingPlan, TrustEvent, plan_sharing
from app.runtime.metrics import Metrics
from app.runtime.sharing_types import AuditReport, SharingApi, held_key
from app.store.sharing_state import SharingAudit
from app.store.store import Store
from connectors.errors import ConnectorError, NotFound

__all__ = ["AuditReport", "SharingApi", "SharingAuditor", "held_key"]

log = logging.getLogger(__name__)

LEASE_TTL = timedelta(seconds=120)
RETRY_AFTER = 300.0  # a failed audit is tried again after this long (or audit_every, when shorter)
Clock = Callable[[], float]


class SharingAuditor:
    """Audits every spreadsheet whose sharing is on (`sheet.share`), at most once per `audit_every`."""

    def __init__(
        self,
        config: Config,
        drive: SharingApi,
        store: Store,
        *,
        service_accounts: Collection[str],
        metrics: Metrics | None = None,
        clock: Clock,
        poll: float = 30.0,
    ) -> None:
        self.sheets = [s for s in spreadsheet_sharing(config) if s.enabled]
        self._drive, self._store, self._metrics, self._clock = drive, store, metrics, clock
        self._keep = frozenset(a.lower() for a in service_accounts)
        self._poll = poll
        self._failed: dict[str, float] = {}
        self.holder = f"sharing-{uuid.uuid4().hex[:12]}"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="sharing-audit", daemon=True)

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self._clock(), UTC)

    def sheet(self, spreadsheet_or_pair: str) -> SpreadsheetSharing:
        """The audited spreadsheet by id or by one of its pairs; KeyError when sharing is off for it."""
        for sheet in self.sheets:
            if spreadsheet_or_pair == sheet.spreadsheet or spreadsheet_or_pair in sheet.pairs:
                return sheet
        raise KeyError(spreadsheet_or_pair)

    def _approved(self, sheet: SpreadsheetSharing, prior: SharingAudit) -> HeldPlan | None:
        """The newest approved removal plan not applied yet (enforce only)."""
        if sheet.settings.sharing != "enforce":
            return None
        done = prior.applied_plan or 0
        plans = [p for p in self._store.held_plans(held_key(sheet)) if p.approved_at and p.id > done]
        return plans[0] if plans else None

    def due(self, sheet: SpreadsheetSharing) -> bool:
        """Never audited, audited `audit_every` ago, or a removal plan approved since (store reads only)."""
        now = self._clock()
        every = sheet.settings.audit_every.total_seconds()
        failed = self._failed.get(sheet.spreadsheet)
        if failed is not None and now - failed < min(every, RETRY_AFTER):
            return False
        prior = self._store.sharing_audit(sheet.spreadsheet)
        if prior.audited_at is None or now - prior.audited_at.timestamp() >= every:
            return True
        paused = any(self._store.paused(pair) for pair in sheet.pairs)  # an approval waits for resume
        return not paused and self._approved(sheet, prior) is not None

    def audit(self, sheet: SpreadsheetSharing) -> AuditReport | None:
        """One audit now; None when another replica holds the spreadsheet. ConnectorError from Drive."""
        key = f"sharing:{sheet.spreadsheet}"
        if not self._store.acquire_lease(key, self.holder, LEASE_TTL):
            return None
        try:
            return self._audit(sheet)
        finally:
            self._store.release_lease(key, self.holder)

    def preview(self, sheet: SpreadsheetSharing, prior: SharingAudit | None = None) -> SharingPlan:
        """What an audit would do now, from one listing; changes nothing. ConnectorError from Drive."""
        prior = prior if prior is not None else self._store.sharing_audit(sheet.spreadsheet)
        listed = [p for p in self._drive.permissions(sheet.spreadsheet) if not p.deleted]
        actual = [Permission(p.id, p.type, p.role, p.address, p.discoverable) for p in listed]
        wanted: dict[tuple[str, str], str] = {(p.kind, p.address): role for p, role in sheet.wanted.items()}
        return plan_sharing(wanted, actual, service_accounts=self._keep, last_owner=prior.owner)

    def _audit(self, sheet: SpreadsheetSharing) -> AuditReport:
        spreadsheet, now = sheet.spreadsheet, self._now()
        prior = self._store.sharing_audit(spreadsheet)
        plan = self.preview(sheet, prior)
        report = AuditReport(spreadsheet, plan)
        # The kill switch (pause, pause --all) stops every write, sharing's too: a paused audit still
        # lists and reports (a crisis is when reports matter most) but grants and removes nothing.
        report.paused = [pair for pair in sheet.pairs if self._store.paused(pair)]
        for grant in [] if report.paused else plan.grants:
            self._grant(sheet, grant, report)
        applied = prior.applied_plan
        left = plan.removals if sheet.settings.sharing == "enforce" else []
        approved = None if report.paused else self._approved(sheet, prior)
        if approved is not None:
            left = self._apply(sheet, approved, left, report)
            applied = approved.id
        if left:
            document = {
                "kind": "sharing",
                "spreadsheet": spreadsheet,
                "removals": [r.to_json() for r in left],
            }
            reason = f"sharing of spreadsheet {spreadsheet}: " + "; ".join(r.describe() for r in left)
            report.held_plan = self._store.hold_plan(held_key(sheet), document, reason)
        else:
            self._store.clear_waiting_plans(held_key(sheet))
        gone = report.removed_ids
        standing = [e for e in plan.events if e.permission_id is None or e.permission_id not in gone]
        events = self._events(sheet, prior, standing, report, now)
        self._store.save_sharing_audit(SharingAudit(spreadsheet, plan.owner, now, events, applied))
        self._failed.pop(spreadsheet, None)
        return report

    def _grant(self, sheet: SpreadsheetSharing, grant: Grant, report: AuditReport) -> None:
        """Create or raise one permission the YAML grants (no approval needed), logged."""
        kind, address = grant.grantee
        who = f"{kind} {address}"
        try:
            if grant.permission_id is not None:
                self._drive.change_role(sheet.spreadsheet, grant.permission_id, grant.role)
            else:
                notify = sheet.settings.notify
                self._drive.grant(sheet.spreadsheet, kind, address, grant.role, notify=notify)
        except ConnectorError as exc:  # one member Drive refuses (an unknown group) must not stop the audit
            report.errors.append(f"sharing with {who} as {grant.role}: {exc}")
            log.warning("sharing: spreadsheet %s: could not share with %s as %s: %s", sheet.spreadsheet, who,
                        grant.role, describe_error(exc), extra={"pair": sheet.pair})  # fmt: skip
            return
        report.granted.append(f"{who} as {grant.role}")
        log.info("sharing: spreadsheet %s shared with %s as %s", sheet.spreadsheet, who, grant.role,
                 extra={"pair": sheet.pair})  # fmt: skip
        self._record(sheet, "sharingGranted", "boardsheet", f"{who}", None, grant.role)

    def _apply(
        self, sheet: SpreadsheetSharing, approved: HeldPlan, removals: list[Removal], report: AuditReport
    ) -> list[Removal]:
        """Apply the removals the approved plan names (and that still stand); the others are left."""
        named = {(r["id"], r["role"], r["to"]) for r in approved.plan.get("removals", [])}
        left = []
        for removal in removals:
            p = removal.permission
            if (p.id, p.role, removal.to) not in named:
                left.append(removal)
                continue
            try:
                if removal.to is None:
                    self._drive.revoke(sheet.spreadsheet, p.id)
                else:
                    self._drive.change_role(sheet.spreadsheet, p.id, removal.to)
            except NotFound:
                pass  # already gone: the approval's goal is met
            report.removed.append(removal.describe())
            report.removed_ids.add(p.id)
            by = approved.approved_by or "someone"
            log.warning("sharing: spreadsheet %s: %s (held plan %d approved by %s)", sheet.spreadsheet,
                        removal.describe(), approved.id, by, extra={"pair": sheet.pair})  # fmt: skip
            self._record(sheet, "sharingRemoved", by, p.who(), p.role, removal.to)
        return left

    def _events(
        self,
        sheet: SpreadsheetSharing,
        prior: SharingAudit,
        events: list[TrustEvent],
        report: AuditReport,
        now: datetime,
    ) -> list[dict[str, object]]:
        """The standing events (a new one logged once, counted and put in the change log)."""
        since = {str(e["key"]): str(e["since"]) for e in prior.events}
        out = []
        for event in events:
            if event.key not in since:
                report.new_events.append(event)
                log.warning("trust no one: spreadsheet %s (pair %s): %s", sheet.spreadsheet, sheet.pair,
                            event.message, extra={"pair": sheet.pair})  # fmt: skip
                if self._metrics is not None:
                    self._metrics.trust_event(sheet.pair, event.kind)
                self._record(sheet, f"trust:{event.kind}", "Google Drive", event.message, None, None)
            out.append(event.to_json(since.get(event.key, now.isoformat(timespec="seconds"))))
        return out

    def _record(
        self,
        sheet: SpreadsheetSharing,
        kind: str,
        member: str,
        what: str,
        before: str | None,
        after: str | None,
    ) -> None:
        """One change-log entry about the spreadsheet's sharing (no card: card fields stay empty)."""
        record = ChangeRecord(
            at=self._now(), pair=sheet.pair, board_id="", action_id=f"sharing-{uuid.uuid4().hex}"[:64],
            action_type=kind[:64], member=member, card_id="", card_name=what, field="sharing",
            before=before, after=after,
        )  # fmt: skip
        self._store.record_changes([record])

    def tick(self) -> None:
        """Audit every due spreadsheet; a failure is logged and retried later, never raised."""
        for sheet in self.sheets:
            try:
                if self.due(sheet):
                    self.audit(sheet)
            except Exception as exc:  # Drive or the store down must not stop the loop
                self._failed[sheet.spreadsheet] = self._clock()
                log.warning("sharing audit of spreadsheet %s failed (will retry): %s", sheet.spreadsheet,
                            describe_error(exc), extra={"pair": sheet.pair})  # fmt: skip

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.tick()
            self._stop.wait(self._poll)

    @property
    def running(self) -> bool:
        """Whether the audit thread is alive."""
        return self._thread.is_alive()

    def start(self) -> None:
        """Start the audit thread (its first pass audits what is due)."""
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """End the thread (an audit under way finishes first, within `timeout`)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)
