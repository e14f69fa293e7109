"""The intake's intents in the state store: noted before the POST, card id after it, done after the write."""

from __future__ import annotations

from datetime import UTC, datetime

from app.core.ideas import Intent
from app.store.store import Store

NOON = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def test_an_intent_is_noted_then_gets_its_card_then_is_done(store: Store) -> None:
    store.note_intent(
        "cal", Intent("row-1", "Teaser", "list-ideas", NOON, base={"Idea": "Teaser", "At": 46380.0})
    )
    assert store.intake_intents("cal") == [
        Intent("row-1", "Teaser", "list-ideas", NOON, None, {"Idea": "Teaser", "At": 46380.0})
    ]
    store.intent_card("cal", "row-1", "card-1")
    store.intents_done("cal", ["row-1"])
    [intent] = store.intake_intents("cal")
    assert (intent.card_id, intent.done) == ("card-1", True)
    assert store.intake_intents("other") == []


def test_noting_an_intent_again_renews_its_time_and_forgets_a_card(store: Store) -> None:
    store.note_intent("cal", Intent("row-1", "Teaser", "list-ideas", NOON))
    later = NOON.replace(hour=13)
    store.note_intent("cal", Intent("row-1", "Teaser", "list-ideas", later))
    [intent] = store.intake_intents("cal")
    assert intent.noted_at == later and intent.card_id is None


def test_bases_are_saved_by_card_and_a_hand_keyed_row_gets_a_done_record(store: Store) -> None:
    store.note_intent("cal", Intent("row-1", "Teaser", "list-ideas", NOON, "card-1"))
    store.intake_bases("cal", {"card-1": {"Idea": "Launch teaser"}, "card-9": {"Idea": "Typed id"}}, NOON)
    by_card = {intent.card_id: intent for intent in store.intake_intents("cal")}
    assert by_card["card-1"].base == {"Idea": "Launch teaser"} and not by_card["card-1"].done
    assert by_card["card-9"].base == {"Idea": "Typed id"} and by_card["card-9"].done
