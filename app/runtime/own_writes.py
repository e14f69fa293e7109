"""Our own Trello writes, each noted in the store before it is made, so that its echo (the webhook or the
next board read's action it causes) is left out of the change log by whichever process takes it in: the
sheet's own change-log row already says who changed what (app/store/echoes.py keeps and claims them).

An echo is an action made by the member the service's token belongs to: a change by anyone else is
never one, whatever card and field it touches (issue 13's soak lost team moves that way).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from contextlib import suppress
from typing import Protocol

from app.core.plan import TrelloWrite
from app.errors import StoreError
from connectors.trello.client import TrelloConnector

__all__ = ["CREATED", "Echoes", "WriteNotes", "claimed", "new_card_key", "write_card"]

CREATED = "created"  # the change log's field of a createCard action (app/core/changes.py)


class Echoes(Protocol):
    """Claims echoes inside the transaction taking actions in (the store's EchoClaims fits)."""

    def claim(self, card_id: str, field: str, by: object) -> bool: ...


class WriteNotes(Protocol):
    """Where our writes are noted for every replica (Store fits)."""

    def note_own_writes(self, card_id: str, fields: Iterable[str], member: str) -> None: ...

    def forget_own_writes(self, card_id: str, fields: Iterable[str], member: str) -> None: ...


def write_card(trello: TrelloConnector, notes: WriteNotes, write: TrelloWrite) -> None:
    """One card's write: one PUT of its standard fields, then its custom items, noted first (Trello may
    deliver the webhook before the PUT's answer reaches us); a write that failed is un-noted."""
    by = trello.member_id()  # the echoes' member: asked once per process
    notes.note_own_writes(write.key, write.fields, by)
    try:
        if write.put:
            trello.update_card(write.key, **write.put)
        for item in write.custom:
            trello.set_custom_field(write.key, item.field_id, item.value, item.id_value)
    except Exception:
        # No echo is coming for what was not written; a note left by a store that is down only lets
        # our own member's change of that field pass for an echo, within the keep window.
        with suppress(StoreError):
            notes.forget_own_writes(write.key, write.fields, by)
        raise


def new_card_key(name: str) -> str:
    """Where a card we create is noted before Trello answers with its id: the webhook of its createCard
    action may arrive first, and then only the card's name tells our creation."""
    return "new:" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:40]


def claimed(echoes: Echoes, card_id: str, field: str, card_name: str, by: object) -> bool:
    """Whether a change is the echo of a write of ours: by card and field, a creation also by its name."""
    if echoes.claim(card_id, field, by):
        return True
    return field == CREATED and echoes.claim(new_card_key(card_name), CREATED, by)
