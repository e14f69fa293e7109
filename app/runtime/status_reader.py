"""The facts behind `/status`, the status page, `boardsheet status` and `/readyz`, read now from the
coordinators (when this process runs any) and the store.

The document itself is the pure `app.core.status.build_status`; this module only gathers its inputs.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from app import __version__
from app.config.models import Config
from app.config.policy import policy_of
from app.core.changes import OptionNames
from app.core.error_text import describe_error
from app.core.guard_status import GUARDED
from app.core.notice import EditSignals
from app.core.records import PairSources
from app.core.status import build_status
from app.core.status_inputs import PairFacts, StatusInputs
from app.core.wording import SheetWords
from app.errors import StoreError
from app.runtime.coordinators import CoordinatorGroup
from app.runtime.registration import RegistrationLoop
from app.runtime.sharing_setup import sharing_status
from app.runtime.tracker import RunTracker
from app.store.store import Store

__all__ = ["StatusReader"]

CHANGES_SHOWN = 50
GUARD_READ = 500  # change-log records read back for a pair's trust events and approval flags
RUNS_SHOWN = 20  # the run history on the status page; enough to find the last successful run too
SYNCED = ("ok", "noop")
_SERVICE_NAMES = {"trello": "Trello", "sheets": "Google Sheets"}
NOT_WEBHOOKS = ("approvedDelete",)
SHARING_RECORDS = ("sharing", "trust:")  # the sharing audit's change-log entries (runtime.sharing)


@dataclass(frozen=True)
class StatusReader:
    """Reads everything the status shows; each call is a few small store reads.

    Without coordinators (the CLI: nothing runs in its process) the status holds what the store knows.
    """

    config: Config
    store: Store
    coordinators: CoordinatorGroup | None = None
    tracker: RunTracker = field(default_factory=RunTracker)
    option_names: OptionNames = field(default_factory=OptionNames)
    clock: Callable[[], float] = time.time
    public_url: str | None = None
    admin_enabled: bool = False
    registration: RegistrationLoop | None = None  # None in polling-only mode
    config_hint: str = ""  # " -c FILE", repeated in the hints the CLI prints
    # The board's and spreadsheet's links as people here open them (the demo: its emulators' pages).
    web_links: Callable[[str], str] | None = None

    def readiness(self) -> list[str]:
        """Why the service is not ready, in plain words; empty when it is."""
        reasons: list[str] = []
        try:
            self.store.ping()
        except StoreError as exc:
            reasons.append(f"the state store is unreachable: {describe_error(exc)}")
        for service, error in sorted(self.tracker.auth_errors.items()):
            reasons.append(f"{_SERVICE_NAMES.get(service, service)} refused our credentials: {error}")
        return reasons

    def paused(self) -> list[str]:
        """The pairs paused now (ready or not, /readyz says so)."""
        return [pair.name for pair in self.config.pairs if self.store.flags(pair.name).paused]

    def status(self) -> dict[str, Any]:
        """The status document (JSON-ready)."""
        inputs = StatusInputs(
            now=self.clock(),
            pairs=[self._pair_facts(pair.name) for pair in self.config.pairs],
            changes=self._changes(),
            public_url=self.public_url,
            admin_enabled=self.admin_enabled,
            registration=self.registration.state if self.registration is not None else {},
            version=__version__,
            config_hint=self.config_hint,
        )
        document = build_status(inputs)
        document["sharing"] = sharing_status(self.config, self.store, self.config_hint)
        return document

    def _changes(self) -> list[Any]:
        """The recent change log, each entry in its pair's sheet language."""
        words = {pair.name: SheetWords.of(policy_of(pair)) for pair in self.config.pairs}
        known = {name: self._option_texts(name) for name in words}
        return [
            words[c.pair].present(self.option_names.named(c, known[c.pair])) if c.pair in words else c
            for c in self.store.recent_changes(limit=CHANGES_SHOWN)
        ]

    def _option_texts(self, pair: str) -> Mapping[str, str]:
        """The option texts the pair's last run kept in the store (the CLI reads no board)."""
        sources = self.store.sources(pair)
        return sources.option_texts if sources is not None else {}

    def _pair_facts(self, name: str) -> PairFacts:
        """Everything the status shows about one pair."""
        pair = self.config.pair(name)
        runs = self.store.runs(name, limit=RUNS_SHOWN)
        synced = next((run.finished_at.timestamp() for run in runs if run.outcome in SYNCED), None)
        base = self.store.load_base(name)
        health = self.coordinators.get(name).health if self.coordinators is not None else None
        return PairFacts(
            name=name,
            board=pair.trello.board,
            spreadsheet=pair.sheet.spreadsheet,
            tab=pair.sheet.tab,
            health=health,
            last_run=runs[0] if runs else None,
            rows=None if base is None else len(base),
            held=[plan for plan in self.store.held_plans(name) if plan.approved_at is None],
            last_webhook=self._last_webhook(name),
            failing_since=self.tracker.failing_since.get(name),
            last_synced=synced,
            flags=self.store.flags(name),
            sources=self._sources(name),
            known_tab=self.store.known_tab(name),
            runs=runs,
            timezone=pair.timezone,
            edits=self._edit_signals(name, pair.sheet.spreadsheet),
            guard_log=[
                c for c in self.store.recent_changes(name, limit=GUARD_READ) if c.action_type in GUARDED
            ],
        )

    def _sources(self, name: str) -> PairSources | None:
        """The pair's board and spreadsheet names and links, the links as `web_links` makes them."""
        sources = self.store.sources(name)
        if sources is None or self.web_links is None:
            return sources
        board, sheet = self.web_links(sources.board_url), self.web_links(sources.spreadsheet_url)
        return replace(sources, board_url=board, spreadsheet_url=sheet)

    def _edit_signals(self, name: str, spreadsheet: str) -> EditSignals:
        """The pair's last hint (any replica), its spreadsheet's live channel, this replica's last push."""
        hint = self.store.last_sheet_edit(name)
        opened = [c for c in self.store.drive_channels(spreadsheet) if c.resource_id is not None]
        return EditSignals(
            hint_at=hint.received_at.timestamp() if hint is not None else None,
            hint_editor=hint.editor if hint is not None else "",
            channel_expires=max((c.expires_at.timestamp() for c in opened), default=None),
            push_at=self.tracker.last_notice.get((name, "drive")),
        )

    def _last_webhook(self, name: str) -> float | None:
        """This replica's last accepted webhook, or the newest change any replica logged, if later."""
        # Rows an approved plan removed are logged by a run, and sharing audits by theirs: not webhooks.
        newest = [c for c in self.store.recent_changes(name, limit=5) if c.action_type not in NOT_WEBHOOKS]
        newest = [c for c in newest if not c.action_type.startswith(SHARING_RECORDS)]
        times = [self.tracker.last_webhook.get(name), newest[0].at.timestamp() if newest else None]
        return max((t for t in times if t is not None), default=None)
