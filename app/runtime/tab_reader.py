"""Read a pair's tab by the sheet id it last synced, so a renamed tab is followed and never replaced.

One read while the tab keeps its name (by its last known title); when that title is gone or names
another tab, one tab listing finds the known sheet id and a second read takes the tab by its new title.
`--create-tab` adds a tab only when the known one is gone and no tab's name is a near miss of the
YAML's (`check_new_tab`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from app.config.checks import check_new_tab, near_miss_refusal, near_misses
from app.config.models import Pair
from app.core.tabs import PairTab, applies, title_of
from app.errors import ConfigError
from app.store.store import Store
from connectors.errors import TabNotFound
from connectors.sheets.client import SheetsConnector
from connectors.sheets.tab_snapshot import TabSnapshot

__all__ = ["TabRead", "read_pair_tab", "remember"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TabRead:
    """A tab as read, whether --create-tab added it, and the known tab it is (renamed or not)."""

    snapshot: TabSnapshot
    created: bool
    tab: PairTab
    changed: bool  # the store knew another tab, or none


@dataclass(frozen=True)
class _Reads:
    """How to read a tab: the extra tabs of the same request and whether formats come too."""

    sheets: SheetsConnector
    spreadsheet: str
    also: Sequence[str]
    whole: Sequence[str]
    formats: bool

    def read(self, title: str) -> TabSnapshot:
        """The tab called `title` (TabNotFound when none is)."""
        return self.sheets.read_tab(
            self.spreadsheet, title, also=self.also, whole=self.whole, formats=self.formats
        )

    def try_read(self, title: str) -> TabSnapshot | None:
        """The tab called `title`, None when the spreadsheet has none."""
        try:
            return self.read(title)
        except TabNotFound:
            return None


def read_pair_tab(
    sheets: SheetsConnector,
    store: Store,
    spec: Pair,
    *,
    also: Sequence[str],
    whole: Sequence[str],
    formats: bool,
    create_tab: bool,
) -> TabRead:
    """The pair's tab, followed by sheet id across renames; TabNotFound or ConfigError when it cannot be.

    Logs when it follows a rename the store does not know yet; `remember` saves what it found (a run
    does, `boardsheet plan` does not write the store).
    """
    configured = spec.sheet.tab
    reads = _Reads(sheets, spec.sheet.spreadsheet, also, whole, formats)
    known = applies(store.known_tab(spec.name), spec.sheet.spreadsheet, configured)
    snapshot = reads.try_read(known.title if known else configured)
    if known is not None and (snapshot is None or snapshot.sheet_id != known.sheet_id):
        # Renamed (or its old name given to a new tab): the sheet id says which tab is the pair's.
        current = title_of(known.sheet_id, sheets.tabs(spec.sheet.spreadsheet))
        if current is not None:
            snapshot = reads.read(current)
        elif snapshot is None and known.title != configured:
            snapshot = reads.try_read(configured)  # the known tab is gone: the YAML's name decides
    created = snapshot is None
    if snapshot is None:
        snapshot = _create(reads, spec, known, create_tab=create_tab)
    tab = PairTab(spec.sheet.spreadsheet, configured, snapshot.sheet_id, snapshot.title)
    if tab.renamed and tab != known:
        log.warning("pair %s: %s", spec.name, tab.describe())
    return TabRead(snapshot, created, tab, changed=tab != known)


def remember(store: Store, pair: str, read: TabRead) -> None:
    """Save the tab a run read (sheet id and title) when it differs from what the store knew."""
    if read.changed:
        store.note_tab(pair, read.tab)


def _create(reads: _Reads, spec: Pair, known: PairTab | None, *, create_tab: bool) -> TabSnapshot:
    """Add the pair's tab (with --create-tab) unless a tab's name is a near miss; TabNotFound without.

    Either way a near miss is named at once: suggesting --create-tab only to have it refused would send
    people round in a circle (one tab listing, only on this failure path).
    """
    titles = [str(tab.get("title", "")) for tab in reads.sheets.tabs(spec.sheet.spreadsheet)]
    near = near_misses(spec, titles)
    if not create_tab:
        gone = "" if known is None else f", and the tab it last synced (sheet id {known.sheet_id}) is gone"
        head = f"tab {spec.sheet.tab!r} of spreadsheet {spec.sheet.spreadsheet}: no tab by that name{gone}"
        if near:
            refusal, way_out = near_miss_refusal(spec.sheet.tab, near)
            near_miss = refusal.split(": ", 1)[1]  # "the spreadsheet has a tab named ..."
            raise TabNotFound(f"{head}, but {near_miss}: {way_out}", service="sheets")
        way_out = "add the tab, set sheet.tab to an existing tab, or run `boardsheet sync` with --create-tab"
        raise TabNotFound(f"{head}; {way_out}", service="sheets")
    problems = check_new_tab(spec, titles)
    if problems:
        raise ConfigError(problems)
    reads.sheets.add_tab(spec.sheet.spreadsheet, spec.sheet.tab)
    return reads.read(spec.sheet.tab)
