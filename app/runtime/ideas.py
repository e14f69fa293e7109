"""The Ideas intake inside a run: plan it from the run's reads, create its cards exactly once, write rows.

Order (docs/concurrency.md, "Exactly one card per idea"): the intent is committed to the state store
before each card's POST, the card id right after it, and the row is written in the run's one
batchUpdate; only then is the intent done. A run that dies anywhere in between leaves an intent the next
run finds: with a card id it writes the row, without one it adopts the card its board read shows.
The per-pair run lease keeps two replicas from running the pair at once. A card is created with one
`POST /1/cards` carrying name, desc, due, start, dueComplete, idLabels and idMembers (comma-separated ids)
(https://developer.atlassian.com/cloud/trello/rest/api-group-cards/#api-cards-post), then one
`PUT /1/cards/{id}/customField/{idCustomField}/item` per custom field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.config.models import Pair
from app.config.policy import intake_policy_of
from app.core.anchors import anchors_of
from app.core.decode import tab_from_snapshot
from app.core.ideas import CellWrite, IntakePlan, IntakePolicy, Intent
from app.core.ideas_plan import plan_intake
from app.core.ideas_render import intake_requests, row_writes
from app.core.model import Board, Card
from app.core.plan import CustomItem
from app.core.records import ChangeRecord
from app.core.sheet_log import sheet_records
from app.core.wording import counted
from app.errors import StoreError
from app.runtime.lease import Lease
from app.runtime.own_writes import CREATED, new_card_key, write_card
from app.store.store import Store
from connectors.sheets.tab_snapshot import TabSnapshot
from connectors.trello.client import TrelloConnector

__all__ = ["IdeasWork", "apply_ideas", "ideas_written", "plan_ideas"]

Request = dict[str, Any]


@dataclass
class IdeasWork:
    """A run's intake: its plan (None when the tab is missing), and what applying it did."""

    policy: IntakePolicy
    board: Board
    plan: IntakePlan | None
    done: list[str] = field(default_factory=list)  # row keys whose rows the batch writes
    created: int = 0

    @property
    def to_create(self) -> int:
        """Cards the plan would create."""
        return len(self.plan.creates) if self.plan is not None else 0

    def plan_line(self) -> str:
        """What `boardsheet plan` says of the intake: cards to create, or the missing tab."""
        if self.plan is None:
            return self.describe()
        return f"cards to create from {self.policy.tab}: {self.to_create}" if self.to_create else ""

    def describe(self) -> str:
        """A part of the run's line: cards created or waiting, or the missing tab."""
        if self.plan is None:
            return f"the intake tab '{self.policy.tab}' is missing: add it (the next run writes its header)"
        return f"{counted(self.created, 'card')} created from {self.policy.tab}" if self.created else ""


def plan_ideas(spec: Pair, snapshot: TabSnapshot, board: Board, store: Store) -> IdeasWork | None:
    """Plan the pair's intake from the run's reads and the store's intents (None: no intake)."""
    policy = intake_policy_of(spec)
    if policy is None:
        return None
    read = snapshot.others.get(policy.tab)
    if read is None:
        return IdeasWork(policy, board, None)
    tab = tab_from_snapshot(read)
    notes = {
        (r, c): str(cell["note"])
        for r, row in enumerate(read.rows)
        for c, cell in enumerate(row)
        if cell.get("note")
    }
    anchors = {anchor.row: anchor.key for anchor in anchors_of(read.row_metadata)}
    plan = plan_intake(tab, board, policy, store.intake_intents(spec.name), notes, anchors)
    return IdeasWork(policy, board, plan)


def apply_ideas(
    work: IdeasWork | None,
    trello: TrelloConnector,
    store: Store,
    pair: str,
    clock: Callable[[], datetime],
    who: Callable[[], str | None],
    lease: Lease,
) -> list[Request]:
    """Write the rows' edits to Trello, create the new cards (intent first), and return the batch's
    intake requests (`who`: the sheet's editor, asked only when needed). A POST is retried by the
    connector only when it surely did not apply."""
    plan = None if work is None else work.plan
    if work is None or plan is None or plan.empty():
        return []
    lease.ensure_held()  # a run whose heartbeat stalled past the TTL must not create cards
    editor = who()
    for write in plan.trello:
        write_card(trello, store, write)
    linked: list[CellWrite] = []
    anchors: dict[int, str] = {}
    for key, found in plan.resolved.items():
        card = found if isinstance(found, Card) else Card(found, list_name=plan.list_name)
        store.intent_card(pair, key, card.id)
        row = plan.resolved_rows[key]
        linked += [
            *plan.shown.get(key, ()),
            *row_writes(plan, work.policy, row, card, work.board.custom_field_types),
        ]
        anchors[row] = card.id
        work.done.append(key)
    records: list[ChangeRecord] = []
    for new in plan.creates:
        now = clock()
        store.note_intent(pair, Intent(new.row_key, new.name, plan.list_id, now, base=new.base))
        # The createCard action (and the custom items') echo what the record below already says. Its
        # webhook may come before Trello's answer: the creation is noted by the card's name first.
        by = trello.member_id()
        store.note_own_writes(new_card_key(new.name), [CREATED], by)
        answer = _create(trello, store, plan.list_id, new.name, new.put, by)
        card_id = str(answer["id"])
        store.intent_card(pair, new.row_key, card_id)
        store.note_own_writes(card_id, _custom_names(work.board, new.custom), by)
        for item in new.custom:
            trello.set_custom_field(card_id, item.field_id, item.value, item.id_value)
        card = Card(card_id, name=new.name, url=str(answer.get("url") or ""), list_name=plan.list_name)
        linked += [
            *plan.shown.get(new.row_key, ()),
            *row_writes(plan, work.policy, new.row, card, work.board.custom_field_types),
        ]
        anchors[new.row] = card_id
        work.done.append(new.row_key)
        work.created += 1
        records.append(_created(pair, work, card, new.row, now, editor))
    board_id = work.board.id
    events = sheet_records(
        plan.events,
        pair=pair,
        board_id=board_id,
        cards=work.board.vocabulary.cards,
        at=clock(),
        editor=editor,
    )
    store.record_changes([*records, *events])
    return intake_requests(plan, linked, anchors)


def ideas_written(work: IdeasWork | None, store: Store, pair: str, now: datetime) -> None:
    """After the batch: the written rows' intents are done, the merged rows' bases saved."""
    if work is None or work.plan is None:
        return
    store.intents_done(pair, work.done)
    store.intake_bases(pair, work.plan.bases, now)


def _create(
    trello: TrelloConnector, store: Store, list_id: str, name: str, put: Mapping[str, Any], by: str
) -> dict[str, Any]:
    """Create the card; a creation that failed is un-noted (no echo is coming for it)."""
    try:
        return trello.create_card(list_id, name, **put)
    except Exception:
        with suppress(StoreError):
            store.forget_own_writes(new_card_key(name), [CREATED], by)
        raise


def _custom_names(board: Board, items: Sequence[CustomItem]) -> list[str]:
    """The change log's field names (custom:NAME) of these custom-field items."""
    names = {spec.id: name for name, spec in board.vocabulary.custom.items()}
    return [f"custom:{names[item.field_id]}" for item in items if item.field_id in names]


def _created(
    pair: str, work: IdeasWork, card: Card, row: int, at: datetime, editor: str | None
) -> ChangeRecord:
    """The change-log record of a card created from the intake tab (row as people count: 1 is the header)."""
    return ChangeRecord(
        at=at,
        pair=pair,
        board_id=work.board.id,
        action_id=f"intake:{card.id}",
        action_type="intake:createCard",
        member=editor or f"the {work.policy.tab} tab",
        card_id=card.id,
        card_name=card.name,
        field="card",
        after=f"created from the {work.policy.tab} tab, row {row + 1}",
    )
