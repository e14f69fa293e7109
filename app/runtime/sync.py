"""One run of one pair: fetch both sides, plan, apply in one batchUpdate, save the base.

This is the only module where the pure core meets I/O. Every run re-reads both sides, so a webhook is a
hint and never data: duplicate, late or missed webhooks cannot corrupt the sheet.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from functools import partial

from app.config.models import Config
from app.core.calendar_feed import feed_document
from app.core.changes import OptionNames
from app.core.error_text import describe_error
from app.core.explain import plan_facts
from app.core.plan import Plan
from app.core.records import ChangeRecord, Outcome, RunRecord
from app.core.sheet_log import sheet_records
from app.errors import GuardError, MassDeleteError, RowsMoved
from app.runtime.approval import deletion_records
from app.runtime.attribution import Editors
from app.runtime.batch import sheet_batch
from app.runtime.changelog import ChangesTabs, pending_changes
from app.runtime.freshness import FailureLines
from app.runtime.holding import hold, plan_or_hold
from app.runtime.ideas import plan_ideas
from app.runtime.lease import LEASE_TTL, Lease, pair_lease
from app.runtime.preview import Preview, describe
from app.runtime.run_counts import RunCounts, counting_run
from app.runtime.run_record import LastSaved, plain, save_run
from app.runtime.sheet_guard import SheetGuard
from app.runtime.sides import PairReads, Sides, both_sides
from app.runtime.snapshots import Retention
from app.runtime.views import feed_source
from app.runtime.writes import RunWriter
from app.store.store import Store
from connectors.sheets.client import SheetsConnector
from connectors.trello.client import TrelloConnector

Clock = Callable[[], datetime]
Stage = Callable[[str], None]  # told what a run is doing now ("reading the board", ...), for progress bars


def _quiet(_stage: str) -> None:
    """The default Stage: say nothing."""


def _utcnow() -> datetime:
    return datetime.now(UTC)


# A run's result is exactly what the store records of it: outcome, one line of plain words, counts.
RunResult = RunRecord
__all__ = ["Preview", "RunResult", "Stage", "Syncer"]


class Syncer:
    """Runs pairs; shares ONE Trello and ONE Sheets connector so client-side rate limits are global."""

    def __init__(
        self,
        config: Config,
        trello: TrelloConnector,
        sheets: SheetsConnector,
        store: Store,
        *,
        clock: Clock = _utcnow,
        option_names: OptionNames | None = None,
        lease_ttl: timedelta = LEASE_TTL,
        editors: Editors | None = None,
        retention: Retention | None = None,
        accounts: Mapping[str, SheetsConnector] | None = None,
        on_trust: Callable[[str, str], None] | None = None,
    ) -> None:
        """`accounts` maps a pair name to its service account's connector (others use `sheets`);
        `on_trust(pair, kind)` counts a trust event (sheet_guard.py)."""
        self.config, self.guard = config, SheetGuard(config, store, on_trust=on_trust)
        self._accounts = dict(accounts or {})
        self.editors = editors
        self.retention = retention if retention is not None else Retention()
        self.lease_ttl = lease_ttl
        self.trello, self.sheets, self.store = trello, sheets, store
        self._clock = clock
        self.option_names = option_names if option_names is not None else OptionNames()
        self.changes_tabs = ChangesTabs()
        self._reads = PairReads(
            trello, store, self.sheets_for,
            option_names=self.option_names, changes_tabs=self.changes_tabs, retention=self.retention,
        )  # fmt: skip
        self._writer = RunWriter(trello, store, self.changes_tabs, clock)
        self._saved = LastSaved(store)  # sources and feed noted in the store, written only on change
        self._failures = FailureLines(self.sheets_for, store)
        # Whether Trello's webhooks reach this process (serve with BOARDSHEET_PUBLIC_URL, registered):
        # the freshness line then says changes arrive within seconds, else how often the timer checks.
        self.webhooks_live: Callable[[], bool] = lambda: False

    def preview(
        self,
        pair: str,
        *,
        allow_mass_delete: bool = False,
        create_tab: bool = False,
        stage: Stage = _quiet,
        log_actions: bool = False,
    ) -> Preview:
        """Read both sides and plan, writing nothing but (`log_actions`, runs) the board's new actions
        to the change log; raises GuardError when a guard refuses."""
        spec = self.config.pair(pair)
        stage("reading the board")
        board_json = self._reads.board(self.config, spec, log_at=self._clock() if log_actions else None)
        stage("reading the sheet")
        snapshot, created = self._reads.tab(spec, create_tab=create_tab)
        stage("planning")
        # A tab --create-tab just added holds none of the rows the base describes: start it afresh.
        base = None if created else self.store.load_base(spec.name)
        sides = both_sides(
            spec, board_json, snapshot, base, created=created, allow_mass_delete=allow_mass_delete
        )
        return self._plan(sides)

    def _plan(self, sides: Sides) -> Preview:
        """The plan of both sides, the one batch that applies it and what people read of them."""
        spec, board, policy = sides.spec, sides.board, sides.policy
        facts = plan_facts(board, sides.tab, sides.base, policy)
        ideas = plan_ideas(spec, sides.snapshot, board, self.store)
        planned, approved = plan_or_hold(self.store, sides, facts)
        pending = pending_changes(self.store, spec)
        sheet_changes = self._sheet_changes(sides, planned)
        # The sheet's own change-log rows go into this run's batch: the next run has nothing to add.
        log_rows = pending + [(0, change) for change in sheet_changes] if spec.changes_tab else pending
        shown = sides.shown(planned.trello)
        batch = sheet_batch(
            sides, planned, shown, log_rows, now=self._clock(), instant=self.webhooks_live(),
            option_names=self.option_names, guard=self.guard, sheets=self.sheets_for(spec.name),
        )  # fmt: skip
        return Preview(
            spec.name, batch.plan, batch.requests, len(board.cards), len(sides.tab.rows), sides.names,
            tuple(change_id for change_id, _ in pending),
            facts=facts, timezone=spec.timezone, tab=spec.sheet.tab, created_tab=sides.created,
            approved=approved, sources=sides.sources(), view_requests=batch.looks.view_requests,
            line_requests=batch.line_requests, line_words=batch.looks.line_words,
            feed=feed_document(shown, policy, feed_source(spec), spec.timezone), row_checks=batch.row_checks,
            waiting_removals=batch.waiting, sheet_changes=sheet_changes, ideas=ideas, guard=batch.guard,
            field_headers={c.field: c.header for c in policy.owned_columns()},
        )  # fmt: skip

    def _sheet_changes(self, sides: Sides, planned: Plan) -> tuple[ChangeRecord, ...]:
        """The sheet's side of the change log: the plan's sheet events, by whoever edited the sheet."""
        return tuple(sheet_records(
            planned.events, pair=sides.spec.name, board_id=sides.board.id, cards=sides.board.vocabulary.cards,
            at=self._clock(), editor=self._editor(sides.spec.name) if planned.events else None,
        ))  # fmt: skip

    def run(
        self,
        pair: str,
        *,
        allow_mass_delete: bool = False,
        create_tab: bool = False,
        stage: Stage = _quiet,
    ) -> RunResult:
        """Make the pair's tab show its board and record the run; PairBusy (nothing done) if run elsewhere."""
        name = self.config.pair(pair).name
        started = self._clock()
        # The lease spans the reads to save_run: another process running this pair makes this one PairBusy.
        with pair_lease(self.store, name, self.lease_ttl) as lease, counting_run() as counts:
            for attempt in (1, 2):  # a write refused because rows moved is read, planned and sent again
                result = self._attempt(
                    name, started, counts, lease, attempt, allow_mass_delete, create_tab, stage
                )
                if result is not None:
                    return result
        raise RowsMoved(name)  # unreachable: the second attempt returns or raises

    def _attempt(
        self,
        name: str,
        started: datetime,
        counts: RunCounts,
        lease: Lease,
        attempt: int,
        allow_mass_delete: bool,
        create_tab: bool,
        stage: Stage,
    ) -> RunResult | None:
        """One read-plan-write of run(); None when rows moved under a first attempt (nothing written)."""
        finish = partial(save_run, self.store, name, started, self._clock, counts)
        try:
            preview = self.preview(
                name,
                allow_mass_delete=allow_mass_delete,
                create_tab=create_tab,
                stage=stage,
                log_actions=True,
            )
        except MassDeleteError as exc:
            self._reads.remember(name)
            # Held or refused, a run writes nothing to the sheet, its lines included: the status page
            # and the CLI say why; the lines keep the time of the last sync until the next good run.
            return finish("held", hold(self.store, name, exc))
        except GuardError as exc:
            finish("refused", str(exc))
            raise
        except Exception as exc:
            self._failures.report(self.config.pair(name), started, self._clock(), describe_error(exc))
            finish("failed", plain(exc))
            raise
        self._saved.sources(name, preview.sources)
        self._reads.remember(name)
        self._saved.feed(name, preview.feed)
        # Asked before the write: afterwards Drive's last modifier is this run itself.
        trust_who = self._editor(name) if preview.guard is not None and preview.guard.events else None
        try:
            spec, sheets, editor = self.config.pair(name), self.sheets_for(name), partial(self._editor, name)
            requests = self._writer.write(spec, sheets, preview, lease, stage, editor)
        except RowsMoved as exc:
            if attempt == 1:
                stage("rows moved meanwhile: reading again")
                return None
            self._failures.report(self.config.pair(name), started, self._clock(), describe_error(exc))
            finish("failed", str(exc))
            raise
        except Exception as exc:
            finish("failed", plain(exc))
            raise
        if preview.guard is not None:  # trust events and approval flags, once the repair is written
            self.guard.settle(preview.guard, at=self._clock(), editor=trust_who)
        outcome: Outcome = "ok" if requests or preview.plan.trello else "noop"
        message = describe(preview)
        written = preview.change_ids if preview.requests else ()
        if preview.approved is not None and preview.plan.deletes:
            self.store.record_changes(deletion_records(preview, self._clock()))
        return finish(outcome, message, plan=preview.plan, written=written)

    def sheets_for(self, pair: str) -> SheetsConnector:
        """The Sheets connector of the service account that reaches the pair's sheet."""
        return self._accounts.get(pair, self.sheets)

    def _editor(self, pair: str) -> str | None:
        """Who edited the sheet since the pair's last run, as the change log names them (None: unknown)."""
        if self.editors is None:
            return None
        last = self.store.runs(pair, limit=1)
        found = self.editors.editor(pair, since=last[0].finished_at if last else None)
        return None if found is None else found.label()
