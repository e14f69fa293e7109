"""One run of one pair: fetch both sides, plan, apply in one batchUpdate, save the base.

This is the only module where the pure core meets I/O. Every run re-reads both sides, so a webhook is a
hint and never data: duplicate, late or missed webhooks cannot corrupt the sheet.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from app.config.checks import check_against_board
from app.config.models import Config, Pair
from app.config.policy import policy_of
from app.core.applied import board_with_writes
from app.core.calendar_feed import FeedDocument, feed_document
from app.core.changes import OptionNames, option_texts
from app.core.decode import board_from_json
from app.core.engine import layout
from app.core.engine import plan as make_plan
from app.core.error_text import describe_error
from app.core.explain import plan_facts
from app.core.mapping import board_rows
from app.core.plan import Plan
from app.core.records import Outcome, PairSources, RunRecord
from app.core.render import render
from app.core.sheet_log import sheet_records
from app.errors import BoardsheetError, ConfigError, GuardError, MassDeleteError, RowsMoved
from app.runtime.action_log import read_board_logging
from app.runtime.approval import approved_plan, deletion_records
from app.runtime.attribution import Editors
from app.runtime.changelog import ChangesTabs, changes_tab_id, changes_tab_requests, pending_changes
from app.runtime.freshness import FailureLines
from app.runtime.guarded import guarded, write
from app.runtime.ideas import apply_ideas, ideas_written, plan_ideas
from app.runtime.lease import LEASE_TTL, Lease, pair_lease
from app.runtime.preview import Preview, describe, held_rows
from app.runtime.run_counts import RunCounts, counting_run
from app.runtime.sheet_guard import SheetGuard, intake_tabs
from app.runtime.snapshots import Retention, keep_snapshot
from app.runtime.tab_reader import TabRead, read_pair_tab, remember
from app.runtime.trello_writes import apply_writes
from app.runtime.views import feed_source, list_top, looks_requests, needs_formats, whole_reads
from app.store.store import Store
from connectors.errors import ConnectorError
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
        self._sources: dict[str, PairSources] = {}  # noted in the store, to write them only on change
        self._feeds: dict[str, FeedDocument] = {}  # the feed document each pair last saved, to skip repeats
        self._failures = FailureLines(self.sheets_for, store)
        # Whether Trello's webhooks reach this process (serve with BOARDSHEET_PUBLIC_URL, registered):
        # the freshness line then says changes arrive within seconds, else how often the timer checks.
        self.webhooks_live: Callable[[], bool] = lambda: False
        self._tabs: dict[str, TabRead] = {}  # each pair's tab as its current run read it

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
        if log_actions:
            board_json = read_board_logging(self.trello, self.store, self.config, spec, self._clock())
        else:
            board_json = self.trello.board_snapshot(spec.trello.board)
        self.option_names.learn(board_json)
        # The YAML may name lists, labels or custom fields the board no longer has: say so, write nothing.
        problems = check_against_board(spec, board_json)
        if problems:
            raise ConfigError(problems)
        stage("reading the sheet")
        snapshot, created = self._read_tab(spec, create_tab=create_tab)
        stage("planning")
        # A tab --create-tab just added holds none of the rows the base describes: start it afresh.
        base = None if created else self.store.load_base(spec.name)
        board = board_from_json(board_json)
        policy = policy_of(spec, allow_mass_delete=allow_mass_delete)
        rows = board_rows(board, policy)
        top, snapshot, tab = list_top(spec, snapshot, policy)  # the header may be below our line
        columns = layout(tab, policy.owned_columns())[0]
        names = {column: header for header, column in columns.items()}
        facts = plan_facts(board, tab, base, policy)
        ideas = plan_ideas(spec, snapshot, board, self.store)
        approved = None
        try:
            planned = make_plan(base, rows, tab, policy)
        except MassDeleteError as exc:
            approved = approved_plan(self.store, spec.name, exc.keys)
            if approved is None:
                rows_shown = held_rows(exc.plan, snapshot, facts, list(names))
                raise MassDeleteError(exc.deletes, exc.limit, exc.keys, exc.plan, rows_shown) from None
            planned = make_plan(base, rows, tab, policy_of(spec, allow_mass_delete=True))
        pending = pending_changes(self.store, spec)
        sheet_changes = tuple(sheet_records(
            planned.events, pair=spec.name, board_id=board.id, cards=board.vocabulary.cards, at=self._clock(),
            editor=self._editor(spec.name) if planned.events else None,
        ))  # fmt: skip
        # The sheet's own change-log rows go into this run's batch: the next run has nothing to add.
        log_rows = pending + [(0, change) for change in sheet_changes] if spec.changes_tab else pending
        # What the batch draws from the board shows the run's own Trello writes: the echo writes nothing.
        shown = board_from_json(board_with_writes(board_json, planned.trello)) if planned.trello else board
        looks = looks_requests(
            spec, snapshot, tab, shown, policy, self._clock(), top, instant=self.webhooks_live()
        )
        rows_guard = guarded(planned, snapshot, tab, columns[policy.key_header], base)
        planned, guard, waiting = rows_guard.plan, rows_guard.guard, rows_guard.waiting
        requests = looks.before + render(planned, guard.appended)
        requests += changes_tab_requests(spec, snapshot, log_rows, self.option_names) + looks.after
        shield = self.guard.plan(
            spec, snapshot, tab, shown, planned.base, policy,
            service=self.sheets_for(spec.name).identity, view_ids=looks.view_ids, before=requests,
            editable_tabs=intake_tabs(spec, snapshot),
            log_tab=changes_tab_id(spec, snapshot, requests),
            elsewhere=lambda: self.sheets_for(spec.name).protected_ranges(spec.sheet.spreadsheet),
        )  # fmt: skip
        requests += shield.requests
        freshness = looks.freshness_for(bool(requests))  # last: the list tab's line may insert its row
        # Anchors ride along with a write, or prepare a removal's; strays of our line are deleted anyway.
        if requests or waiting or freshness or looks.first:
            requests = looks.placed(guard.before + requests) + freshness
        ids = tuple(change_id for change_id, _ in pending)
        sources = PairSources(
            str(board_json.get("name") or ""),
            str(board_json.get("url") or ""),
            snapshot.spreadsheet_title,
            snapshot.spreadsheet_url,
            option_texts(board_json),
        )
        return Preview(
            spec.name, planned, requests, len(board.cards), len(tab.rows), names, ids,
            facts=facts, timezone=spec.timezone, tab=spec.sheet.tab, created_tab=created,
            approved=approved, sources=sources, view_requests=looks.view_requests,
            line_requests=len(looks.first) + len(freshness), line_words=looks.line_words,
            feed=feed_document(shown, policy, feed_source(spec), spec.timezone), row_checks=guard.checks,
            waiting_removals=waiting, sheet_changes=sheet_changes, ideas=ideas, guard=shield,
            field_headers={c.field: c.header for c in policy.owned_columns()},
        )  # fmt: skip

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
        try:
            preview = self.preview(
                name,
                allow_mass_delete=allow_mass_delete,
                create_tab=create_tab,
                stage=stage,
                log_actions=True,
            )
        except MassDeleteError as exc:
            self._remember_tab(name)
            # The rows it would delete (title, list, free cells) travel with it, for people to judge.
            document = {**exc.plan.to_json(), "rows": list(exc.rows)}
            plan_id = self.store.hold_plan(name, document, str(exc))
            message = f"{exc} (held as plan {plan_id})"
            # Held or refused, a run writes nothing to the sheet, its lines included: the status page
            # and the CLI say why; the lines keep the time of the last sync until the next good run.
            return self._finish(name, started, counts, "held", message)
        except GuardError as exc:
            self._finish(name, started, counts, "refused", str(exc))
            raise
        except Exception as exc:
            self._failures.report(self.config.pair(name), started, self._clock(), describe_error(exc))
            self._finish(name, started, counts, "failed", _plain(exc))
            raise
        self._note_sources(name, preview.sources)
        self._remember_tab(name)
        self._save_feed(name, preview.feed)
        # Asked before the write: afterwards Drive's last modifier is this run itself.
        trust_who = self._editor(name) if preview.guard is not None and preview.guard.events else None
        try:
            self._write_trello(name, preview, lease, stage)
            requests = preview.requests + self._apply_ideas(name, preview, lease)
            if requests:
                lease.ensure_held()  # a run whose heartbeat stalled past the TTL must not write
                stage("writing the sheet")
                spec = self.config.pair(name)
                self.changes_tabs.forget(name)  # after a write, the next read looks again
                write(self.sheets_for(name), name, spec.sheet.spreadsheet, requests, preview.row_checks)
                if spec.changes_tab is not None and preview.sheet_changes:
                    self.store.mark_written_actions(name, [c.action_id for c in preview.sheet_changes])
            ideas_written(preview.ideas, self.store, name, self._clock())
        except RowsMoved as exc:
            if attempt == 1:
                stage("rows moved meanwhile: reading again")
                return None
            self._failures.report(self.config.pair(name), started, self._clock(), describe_error(exc))
            self._finish(name, started, counts, "failed", str(exc))
            raise
        except Exception as exc:
            self._finish(name, started, counts, "failed", _plain(exc))
            raise
        self._settle_guard(preview, trust_who)
        outcome: Outcome = "ok" if requests or preview.plan.trello else "noop"
        message = describe(preview)
        written = preview.change_ids if preview.requests else ()
        if preview.approved is not None and preview.plan.deletes:
            self.store.record_changes(deletion_records(preview, self._clock()))
        return self._finish(name, started, counts, outcome, message, plan=preview.plan, written=written)

    def _settle_guard(self, preview: Preview, who: str | None) -> None:
        """Trust events (by `who`, asked before the write) and approval flags, once the repair is written."""
        if preview.guard is not None:
            self.guard.settle(preview.guard, at=self._clock(), editor=who)

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

    def _apply_ideas(self, name: str, preview: Preview, lease: Lease) -> list[dict[str, Any]]:
        """The intake's Trello writes and new cards (app/runtime/ideas.py); its requests for the batch."""
        work, editor = preview.ideas, (lambda: self._editor(name))
        return apply_ideas(work, self.trello, self.store, name, self._clock, editor, lease)

    def _write_trello(self, name: str, preview: Preview, lease: Lease, stage: Stage) -> None:
        """The two-way cells' Trello writes, each card's base saved once it is applied (trello_writes).

        They go before the sheet's batch: a batch refused because rows moved is planned again from a base
        that already holds them, so nothing is written twice.
        """
        if preview.plan.trello or preview.sheet_changes:
            lease.ensure_held()
            stage("writing Trello")
            apply_writes(self.trello, self.store, name, preview.plan.trello, preview.sheet_changes)

    def _read_tab(self, spec: Pair, *, create_tab: bool) -> tuple[Any, bool]:
        """The tab's snapshot (peeking at the Changes tab) and whether --create-tab added the tab first.

        The tab is followed by sheet id across renames (tab_reader.py); a name that is a near miss of
        an existing tab is refused (ConfigError), never created.
        """
        also = self.changes_tabs.also_read(spec)
        read = read_pair_tab(
            self.sheets_for(spec.name),
            self.store,
            spec,
            also=also,
            whole=whole_reads(spec),
            formats=needs_formats(spec),
            create_tab=create_tab,
        )
        self.changes_tabs.learn(spec, read.snapshot)
        self._tabs[spec.name] = read  # saved by run(), never by a preview alone
        return read.snapshot, read.created

    def _remember_tab(self, pair: str) -> None:
        """Save the tab this run read (by sheet id), so a rename is followed by the next runs too, and a
        snapshot of its values when they changed (for `boardsheet restore`)."""
        read = self._tabs.pop(pair, None)
        if read is not None:
            remember(self.store, pair, read)
            keep_snapshot(self.store, pair, read.snapshot, self.retention)

    def _save_feed(self, pair: str, feed: FeedDocument | None) -> None:
        """Keep the calendar feed's document when it changed (the feed never calls Trello itself)."""
        if feed is None or self._feeds.get(pair) == feed:
            return
        self.store.save_feed(pair, feed)
        self._feeds[pair] = feed

    def _note_sources(self, pair: str, sources: PairSources | None) -> None:
        """Keep the board's and spreadsheet's names and links in the store when they changed."""
        if sources is not None and self._sources.get(pair) != sources:
            self.store.note_sources(pair, sources)
            self._sources[pair] = sources

    def _finish(
        self,
        pair: str,
        started: datetime,
        counts: RunCounts,
        outcome: Outcome,
        message: str,
        *,
        plan: Plan | None = None,
        written: tuple[int, ...] = (),
    ) -> RunResult:
        """Record the run, the new base (if any) and the change rows written, in one transaction."""
        summary = plan.summary() if plan is not None else {}
        result = RunResult(
            pair=pair,
            outcome=outcome,
            message=message,
            started_at=started,
            finished_at=self._clock(),
            rows_added=summary.get("rows_added", 0),
            rows_removed=summary.get("rows_removed", 0),
            cells_changed=summary.get("cells_changed", 0),
            trello_requests=counts.trello,
            sheets_reads=counts.reads,
            sheets_writes=counts.writes,
        )
        base = plan.base if plan is not None else None
        self.store.save_run(pair, base, result, written_change_ids=written)
        return result


def _plain(exc: BaseException) -> str:
    """An error in plain words for the run history, the status and the sheet's failure line: a connector's
    or boardsheet's own message says what happened and where (and never holds a secret); anything else,
    unexpected, keeps its class name to be found."""
    if isinstance(exc, ConnectorError | BoardsheetError) and str(exc):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"
