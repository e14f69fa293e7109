"""Two-way cells inside a run: the plan's Trello writes, applied card by card, each saving its base.

A write is one PUT /1/cards/{id} with every changed standard field, then one
PUT /1/cards/{id}/customField/{idCustomField}/item per custom field
(https://developer.atlassian.com/cloud/trello/rest/api-group-cards/#api-cards-id-put and
#api-cards-idcard-customfield-idcustomfield-item-put). The connector retries a write only when it surely
was not applied (a 429, a refused connection): after a 5xx or a lost answer the run fails, and the next
run reads the card and writes only what Trello does not show yet.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.core.plan import TrelloWrite
from app.core.records import ChangeRecord
from app.runtime.own_writes import write_card
from app.store.store import Store
from connectors.trello.client import TrelloConnector


def apply_writes(
    trello: TrelloConnector,
    store: Store,
    pair: str,
    writes: Sequence[TrelloWrite],
    records: Sequence[ChangeRecord],
) -> None:
    """Write each card, then save its base cells and its change-log records in one transaction.

    Records of cards without a write (rejected values, lost conflicts, rows written back) are saved last.
    Each write is noted in the store first, so whichever process takes in its echo leaves it out of the log.
    """
    written = {write.key for write in writes}
    for write in writes:
        write_card(trello, store, write)
        store.save_write(pair, write.key, write.base, [r for r in records if r.card_id == write.key])
    store.record_changes([r for r in records if r.card_id not in written])
