"""Two-way cells inside a run: the plan's Trello writes, applied card by card, each saving its base.

A write is one PUT /1/cards/{id} with every changed standard field, then one
PUT /1/cards/{id}/customField/{idCustomField}/item per custom field
(https://developer.atlassian.com/cloud/trello/rest/api-group-cards/#api-cards-id-put and
#api-cards-idcard-customfield-idcustomfield-item-put). The connector retries only what surely did not
apply (429, 5xx, no connection; never another 4xx).
"""

from __future__ import annotations

from collections.abc import Sequence

from app.core.plan import TrelloWrite
from app.core.records import ChangeRecord
from app.runtime.own_writes import OwnWrites
from app.store.store import Store
from connectors.trello.client import TrelloConnector


def apply_writes(
    trello: TrelloConnector,
    store: Store,
    pair: str,
    writes: Sequence[TrelloWrite],
    records: Sequence[ChangeRecord],
    own: OwnWrites,
) -> None:
    """Write each card, then save its base cells and its change-log records in one transaction.

    Records of cards without a write (rejected values, lost conflicts, rows written back) are saved last.
    `own` learns each written field, so the change log skips the webhooks our writes cause.
    """
    written = {write.key for write in writes}
    by = trello.member_id() if writes else ""  # the echoes' member: asked once per process
    for write in writes:
        # Noted before the write: Trello may deliver its webhook before the PUT's answer reaches us.
        own.note(write.key, write.fields, by)
        try:
            if write.put:
                trello.update_card(write.key, **write.put)
            for item in write.custom:
                trello.set_custom_field(write.key, item.field_id, item.value, item.id_value)
        except Exception:
            for field in write.fields:  # no echo is coming for what was not written
                own.claim(write.key, field, by)
            raise
        store.save_write(pair, write.key, write.base, [r for r in records if r.card_id == write.key])
    store.record_changes([r for r in records if r.card_id not in written])
