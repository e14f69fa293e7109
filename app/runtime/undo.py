"""`boardsheet undo-archive`: unarchive the cards one member archived; list the ones they deleted."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from app.config.models import Config
from app.core.mapping import DATE_FIELDS
from app.core.undo import ACTION_TYPES, Undo, row_text, snapshot_row, still_archived, undo_of
from app.store.store import Store
from connectors.trello.client import TrelloConnector

__all__ = ["UndoArchive", "UndoPlan"]


@dataclass(frozen=True)
class UndoPlan:
    """What undo-archive found: the member's archived and deleted cards, and each deleted card's last row."""

    pair: str
    member: str
    undo: Undo
    last_rows: dict[str, dict[str, str]]  # card id -> header -> value as the sheet showed it (the base)
    archived_now: frozenset[str] = frozenset()  # of undo.archived, those the board read shows archived

    @property
    def to_unarchive(self) -> tuple[tuple[str, str, str], ...]:
        """The member's archived cards still archived now (id, name, when)."""
        return tuple(entry for entry in self.undo.archived if entry[0] in self.archived_now)

    @property
    def not_archived(self) -> tuple[tuple[str, str, str], ...]:
        """The member's archived cards open again (or gone) now: nothing to do for them."""
        return tuple(entry for entry in self.undo.archived if entry[0] not in self.archived_now)


class UndoArchive:
    """Finds a member's archives and deletions in the board's actions and unarchives (PUT closed=false)."""

    def __init__(self, config: Config, trello: TrelloConnector, store: Store) -> None:
        self.config = config
        self.trello = trello
        self.store = store

    def undo(
        self, pair: str, member: str, since: datetime, confirm: Callable[[UndoPlan], bool]
    ) -> tuple[UndoPlan, list[str]]:
        """Read the actions since `since`, ask `confirm` when some are still archived, unarchive those;
        the plan and the card ids unarchived.

        A deleted card cannot come back (Trello keeps no deleted card); its last known row is shown.
        """
        spec = self.config.pair(pair)
        # Trello's own date form (2026-12-01T10:00:00.000Z), which it compares `since` against.
        stamp = since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        actions = self.trello.board_actions(spec.trello.board, ACTION_TYPES, stamp)
        undo = undo_of(actions, member)
        base = self.store.load_base(spec.name) or {}
        # Custom date fields' types are the board's: their serials show as numbers (no extra request).
        dates = {column.header for column in spec.columns if column.field in DATE_FIELDS}
        rows = {card_id: row_text(base[card_id], dates) for card_id, _, _ in undo.deleted if card_id in base}
        for card_id, _, when in undo.deleted:
            if card_id not in rows:  # a run since removed its row: the tab's snapshot before the deletion
                row = self._snapshot_row(spec.name, spec.sheet.key_header, card_id, when, dates)
                if row is not None:
                    rows[card_id] = row
        # One board read says which are still archived: a second undo-archive re-sends nothing.
        board = self.trello.board_snapshot(spec.trello.board) if undo.archived else {}
        now = still_archived(board, [card_id for card_id, _, _ in undo.archived])
        plan = UndoPlan(spec.name, member, undo, rows, now)
        if not plan.to_unarchive or not confirm(plan):
            return plan, []
        done = []
        for card_id, _, _ in plan.to_unarchive:
            self.trello.update_card(card_id, closed="false")
            done.append(card_id)
        return plan, done

    def _snapshot_row(
        self, pair: str, key_header: str, card_id: str, deleted_at: str, dates: set[str]
    ) -> dict[str, str] | None:
        """The card's row as the first run after its deletion read it (a snapshot is the tab before the
        run's write, the row still there), else in the newest snapshot before (Trello's action date)."""
        try:
            moment = datetime.fromisoformat(deleted_at.replace("Z", "+00:00"))
        except ValueError:
            return None
        for snapshot in (self.store.snapshot_after(pair, moment), self.store.snapshot_at(pair, moment)):
            row = None if snapshot is None else snapshot_row(snapshot.document, key_header, card_id, dates)
            if row is not None:
                return row
        return None
