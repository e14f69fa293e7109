"""Inside a run: the pair's protected ranges and approval flags, planned from the one read and sent in the
one batchUpdate; after the write, the "trust no one" events and newly flagged cards reported.

What each pair's last run left (its protections, the cards it flagged) is what the next run compares
with, kept in the state store: a restarted service, another replica or a command-line `sync` reports a
removed protection exactly as a running service does. Flags are read back from the change log.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.config.models import Config, Pair
from app.config.roles import members
from app.core.approvals import (
    Unapproved,
    after,
    approval_formula,
    approval_records,
    approval_rule,
    approval_rule_requests,
    flagged_now,
    unapproved,
)
from app.core.engine import layout
from app.core.guard_status import TRUST
from app.core.model import Board, CellValue, Policy, SheetTab
from app.core.protections import (
    Access,
    ColumnAccess,
    Mode,
    Protection,
    column_protections,
    ours,
    protection_requests,
    requester,
    tab_protection,
)
from app.core.records import ChangeRecord
from app.core.trust_events import TrustEvent, trust_events
from app.core.views.sheet import PROTECTION_DESCRIPTION
from app.store.store import Store
from connectors.sheets.tab_snapshot import TabSnapshot

__all__ = ["GuardPlan", "SheetGuard", "editors_of", "intake_tabs", "owner_domain", "tab_for_roles"]

log = logging.getLogger("app.runtime.trust")
LOG_DESCRIPTION = "boardsheet change log: only boardsheet appends to it"
Request = dict[str, Any]
Elsewhere = Callable[[], Mapping[int, Sequence[Mapping[str, Any]]]]  # sheetId -> its protected ranges


@dataclass(frozen=True)
class GuardPlan:
    """What a run found and wants: its protections, the trust events, the flagged cards, the requests."""

    pair: str
    board_id: str = ""
    wanted: tuple[Protection, ...] = ()
    events: tuple[TrustEvent, ...] = ()
    flagged: tuple[Unapproved, ...] = ()
    titles: Mapping[str, str] = field(default_factory=dict)  # card id -> name now (clearing records say it)
    requests: list[Request] = field(default_factory=list)


def editors_of(roles: Mapping[str, Sequence[str]], names: Sequence[str], owner_domain: str | None) -> Access:
    """The people of `names` as editors; a `domain:` member only when it is the spreadsheet owner's domain
    (domainUsersCanEdit grants the document's own domain, whatever the role names:
    https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/other#editors)."""
    found = members(roles, names)
    return Access(
        frozenset(p.address for p in found if p.kind == "user"),
        frozenset(p.address for p in found if p.kind == "group"),
        owner_domain is not None and any(p.kind == "domain" and p.address == owner_domain for p in found),
    )


def tab_for_roles(
    roles: Mapping[str, Sequence[str]],
    title: str,
    sheet_id: int,
    names: Sequence[str],
    mode: Mode,
    service: Access,
    owner_domain: str | None = None,
) -> list[Protection]:
    """A whole tab editable by the people of the roles `names` and the service account (e.g. the intake
    tab's `editable_by`); none when protections are off."""
    people = editors_of(roles, names, owner_domain)
    access = Access(service.users | people.users, service.groups | people.groups, people.domain)
    who = ", ".join(names) or "boardsheet"
    return tab_protection(sheet_id, f"boardsheet: {title} tab (editable by {who})", mode, access)


def intake_tabs(spec: Pair, snapshot: TabSnapshot) -> dict[str, tuple[int, Sequence[str]]]:
    """The pair's intake tab, when read and `editable_by` names roles: title -> (sheet id, roles).

    Without `editable_by` the tab stays open to anyone with edit access (as a two-way column does)."""
    intake = spec.intake
    if intake is None or not intake.editable_by or intake.tab not in snapshot.others:
        return {}
    return {intake.tab: (snapshot.others[intake.tab].sheet_id, tuple(intake.editable_by))}


def left_elsewhere(
    left: Sequence[Protection], read: set[int], elsewhere: Elsewhere | None
) -> list[Mapping[str, Any]]:
    """The ranges the last run `left` on tabs this run did not `read`, as they are now: only those, by
    description and tab, so another pair's or a person's ranges there are never touched."""
    tabs = {dict(p.range).get("sheetId", 0) for p in left} - read
    if not tabs or elsewhere is None:
        return []
    found = elsewhere()
    descriptions = {p.description for p in left}
    return [
        item
        for sheet_id in sorted(tabs)
        for item in ours(found.get(sheet_id, ()))
        if item.get("description") in descriptions
    ]


def owner_domain(owner: str | None) -> str | None:
    """The domain of the spreadsheet owner's e-mail (as the sharing audit last saw it), lowercase."""
    return owner.rsplit("@", 1)[1].lower() if owner and "@" in owner else None


class SheetGuard:
    """Plans protections and approval flags per run, and reports what the last run's left became."""

    def __init__(
        self,
        config: Config,
        store: Store,
        *,
        on_trust: Callable[[str, str], None] | None = None,
    ) -> None:
        """`on_trust(pair, kind)` counts an event (the metric)."""
        self.config, self.store, self.on_trust = config, store, on_trust

    def plan(
        self,
        spec: Pair,
        snapshot: TabSnapshot,
        tab: SheetTab,
        board: Board,
        rows: Mapping[str, Mapping[str, CellValue]],
        policy: Policy,
        *,
        service: str,
        view_ids: Mapping[str, int],
        before: Sequence[Request],
        editable_tabs: Mapping[str, tuple[int, Sequence[str]]] | None = None,
        elsewhere: Elsewhere | None = None,
        log_tab: tuple[str, int] | None = None,
    ) -> GuardPlan:
        """The protections' and approval rule's requests (to follow `before`, the batch so far).

        `editable_tabs` maps a tab read in `snapshot.others` (the intake tab) to its sheet id and the
        roles who may edit it: protected whole for them and the service account (tab_for_roles).
        `elsewhere` reads every tab's protected ranges: asked only when the last run left ranges on a
        tab this run did not read (its intake or view gone from the YAML), so they are removed too.
        `log_tab` is the Changes tab's title and sheet id (a new one's too): boardsheet's alone, like a view.
        """
        editable_tabs = editable_tabs or {}
        owned_tabs = [*view_ids, *([log_tab[0]] if log_tab is not None else [])]
        index = layout(tab, policy.owned_columns())[0]
        mode = spec.sheet.protect
        domain = self._domain(spec)
        left = self.store.protections_left(spec.name)
        existing: list[Mapping[str, Any]] = list(snapshot.protected_ranges)
        log_ids = [log_tab[1]] if log_tab is not None else []
        read = {snapshot.sheet_id, *view_ids.values(), *log_ids, *(i for i, _ in editable_tabs.values())}
        for title in [*owned_tabs, *editable_tabs]:
            other = snapshot.others.get(title)
            existing += other.protected_ranges if other is not None else []
        existing += left_elsewhere(left, read, elsewhere)
        granted = [p.address for roles in self.config.roles.values() for p in members({"r": roles}, ["r"])]
        implied = requester(existing, granted)  # us, and the owner Google keeps as an editor
        me = frozenset({service.lower()}) if "@" in service else implied
        sa = Access(me)
        columns = [ColumnAccess(policy.key_header, index[policy.key_header])]
        for column in spec.columns:
            roles = tuple(column.editable_by or ())
            editors = editors_of(self.config.roles, roles, domain) if roles else None
            access = ColumnAccess(
                column.header, index[column.header], editors, column.two_way and not roles, roles
            )
            columns.append(access)
        wanted = column_protections(snapshot.sheet_id, columns, mode, sa)
        tabs = {snapshot.sheet_id: snapshot.title}
        for title, sheet_id in view_ids.items():
            wanted += tab_protection(sheet_id, f"{PROTECTION_DESCRIPTION} ({title})", mode, sa)
            tabs[sheet_id] = title
        if log_tab is not None:
            wanted += tab_protection(log_tab[1], f"{LOG_DESCRIPTION} ({log_tab[0]})", mode, sa)
            tabs[log_tab[1]] = log_tab[0]
        for title, (sheet_id, names) in editable_tabs.items():
            wanted += tab_for_roles(self.config.roles, title, sheet_id, names, mode, sa, domain)
            tabs[sheet_id] = title
        events = trust_events(left, existing, tabs, me | implied, wanted=wanted)
        requests = protection_requests(wanted, existing, implied)
        flagged: list[Unapproved] = []
        if spec.approval is not None:
            approval = spec.approval
            flagged = unapproved(board, rows, approval.column, approval.required_in)
            list_column = next((c.header for c in spec.columns if c.field == "list"), None)
            rule = None
            if list_column is not None:
                formula = approval_formula(index[approval.column], index[list_column], approval.required_in)
                rule = approval_rule(snapshot.sheet_id, index[approval.column], formula)
            rules = after(snapshot.sheet_id, snapshot.conditional_formats, before)
            requests += approval_rule_requests(snapshot.sheet_id, rule, rules)
        titles = {card.id: card.name for card in board.cards} if spec.approval is not None else {}
        return GuardPlan(spec.name, board.id, tuple(wanted), tuple(events), tuple(flagged), titles, requests)

    def _domain(self, spec: Pair) -> str | None:
        """The spreadsheet owner's domain, when a `domain:` member may edit something, as the last sharing
        audit found the owner (none before it, or without `sheet.share`: a domain then grants nothing,
        which the config's warning says). A store read, no API call."""
        spreadsheet = spec.sheet.spreadsheet
        names = [r for c in spec.columns for r in c.editable_by or ()]
        names += list(spec.intake.editable_by) if spec.intake is not None else []
        if not any(p.kind == "domain" for p in members(self.config.roles, names)):
            return None
        return owner_domain(self.store.sharing_audit(spreadsheet).owner)

    def settle(self, plan: GuardPlan, *, at: datetime, editor: str | None) -> None:
        """After the run's write: report the trust events, log newly flagged cards, remember what is left."""
        records: list[ChangeRecord] = []
        who = editor or "unknown"
        for event in plan.events:
            detail = f" ({event.detail})" if event.detail else ""
            log.warning(
                "trust no one: pair %s, tab %r, range %s: protection %r %s by %s%s; restored",
                plan.pair, event.tab, event.range, event.description, event.kind, who, detail,
                extra={"pair": plan.pair, "tab": event.tab, "kind": event.kind},
            )  # fmt: skip
            if self.on_trust is not None:
                self.on_trust(plan.pair, event.kind)
            stamp = at.strftime("%Y%m%dT%H%M%S%f")
            records.append(ChangeRecord(
                at, plan.pair, plan.board_id, f"bs-trust-{len(records)}-{stamp}", TRUST, who, "", event.tab,
                "protection", f"{event.description} at {event.range}", f"{event.kind}{detail}; restored",
            ))  # fmt: skip
        spec = self.config.pair(plan.pair)
        if spec.approval is not None:
            before = flagged_now(self.store.recent_changes(plan.pair, limit=500))
            records += approval_records(
                plan.flagged, before, pair=plan.pair, board_id=plan.board_id, at=at, titles=plan.titles
            )
        self.store.record_changes(records)
        self.store.save_protections(plan.pair, plan.wanted)
