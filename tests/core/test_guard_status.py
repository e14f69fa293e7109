"""The status's trust events and cards waiting for approval, read back from the change log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.core.approvals import CLEARED, FLAGGED
from app.core.guard_status import TRUST, trust_status, unapproved_status
from app.core.records import ChangeRecord
from app.core.status import build_status
from app.core.status_inputs import PairFacts, StatusInputs

AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _record(kind: str, card: str, minutes: int, **more: str) -> ChangeRecord:
    return ChangeRecord(
        AT + timedelta(minutes=minutes), "social", "b", f"{kind}-{card}-{minutes}", kind,
        more.get("member", "boardsheet"), card, more.get("name", card), "approval",
        more.get("before"), more.get("after", "unapproved in Scheduled"),
    )  # fmt: skip


def test_trust_events_and_waiting_cards_in_the_pair_status() -> None:
    newest_first = [
        _record(CLEARED, "a", 9),
        _record(
            TRUST,
            "",
            8,
            member="~eve@example.org (approximate)",
            name="Calendar",
            before="boardsheet: Title at column B",
            after="removed; restored",
        ),
        _record(FLAGGED, "b", 7, name="Recap"),
        _record(FLAGGED, "a", 5, name="Launch"),
    ]
    assert [c["card"] for c in unapproved_status(newest_first)] == ["Recap"]
    (event,) = trust_status(newest_first)
    assert event == {
        "at": "2026-12-01T09:08:00+00:00",
        "tab": "Calendar",
        "what": "boardsheet: Title at column B",
        "kind": "removed; restored",
        "who": "~eve@example.org (approximate)",
    }
    pair = PairFacts("social", "b", "s", "Calendar", guard_log=newest_first)
    status = build_status(StatusInputs(now=AT.timestamp() + 600, pairs=[pair]))
    assert status["pairs"][0]["unapproved"][0]["card_id"] == "b"
    assert status["pairs"][0]["trust_events"][0]["tab"] == "Calendar"


def test_a_flagged_card_shows_its_current_title_and_list_since_its_first_flag() -> None:
    newest_first = [
        _record(FLAGGED, "b", 9, name="Recap (final)", after="unapproved in Published"),
        _record(FLAGGED, "b", 7, name="Recap (final)"),
        _record(FLAGGED, "b", 5, name="Recap"),
    ]
    assert unapproved_status(newest_first) == [
        {
            "card_id": "b",
            "card": "Recap (final)",
            "since": "2026-12-01T09:05:00+00:00",
            "why": "unapproved in Published",
        }
    ]
