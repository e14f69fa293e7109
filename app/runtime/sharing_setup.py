"""The sharing audit's composition and its part of the status: the auditor built from settings and
config, the service accounts it must never touch, and `/status`'s `sharing` list (read from the store, so
the CLI shows it too)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.config.models import Config
from app.config.settings import Settings
from app.config.sharing import spreadsheet_sharing
from app.core.status_times import iso
from app.runtime.metrics import Metrics
from app.runtime.sharing import SharingAuditor
from app.runtime.sharing_types import SharingApi, held_key
from app.store.store import Store

__all__ = ["build_sharing", "service_account_emails", "sharing_on", "sharing_status"]


def sharing_on(config: Config) -> bool:
    """Whether any spreadsheet's sharing is managed (the Drive connector then asks for the `drive` scope)."""
    return any(sheet.enabled for sheet in spreadsheet_sharing(config))


def service_account_emails(settings: Settings, identity: str) -> set[str]:
    """The e-mails of every configured service account (`client_email` of each key file) and `identity`."""
    emails = {identity}
    files = [settings.drive_key_file, *settings.accounts.values()]
    for path in files:
        if path is None:
            continue
        try:
            email = json.loads(Path(path).read_text(encoding="utf-8")).get("client_email")
        except (OSError, ValueError, AttributeError):
            continue  # an unreadable key fails loudly where it is used; here it only protects less
        if isinstance(email, str):
            emails.add(email)
    return emails


def build_sharing(
    settings: Settings,
    config: Config,
    store: Store,
    drive: SharingApi | None,
    *,
    identity: str,
    metrics: Metrics | None,
    clock: Callable[[], float] = time.time,
) -> SharingAuditor | None:
    """The auditor, or None when no spreadsheet shares or there is no Drive connector."""
    if drive is None or not sharing_on(config):
        return None
    accounts = service_account_emails(settings, identity)
    return SharingAuditor(config, drive, store, service_accounts=accounts, metrics=metrics, clock=clock)


def sharing_status(config: Config, store: Store, config_hint: str = "") -> list[dict[str, Any]]:
    """Each shared spreadsheet: settings, last audit, standing events, the removal plan waiting (if any);
    `config_hint` (" -c FILE") is repeated in the approval it suggests."""
    out = []
    for sheet in spreadsheet_sharing(config):
        if not sheet.enabled:
            continue
        audit = store.sharing_audit(sheet.spreadsheet)
        waiting = [p for p in store.held_plans(held_key(sheet)) if p.approved_at is None]
        held = None
        if waiting:
            plan = waiting[0]
            removals = [str(r.get("what", "")) for r in plan.plan.get("removals", [])]
            approve = f"boardsheet approve {plan.id}{config_hint}"
            held = {"id": plan.id, "removals": removals, "approve": approve}
        out.append(
            {
                "spreadsheet": sheet.spreadsheet,
                "pair": sheet.pair,
                "pairs": list(sheet.pairs),
                "mode": sheet.settings.sharing,
                "share_as": sheet.settings.share_as,
                "audit_every_seconds": sheet.settings.audit_every.total_seconds(),
                "audited_at": iso(audit.audited_at.timestamp()) if audit.audited_at else None,
                "owner": audit.owner,
                "events": audit.events,
                "held_plan": held,
            }
        )
    return out
