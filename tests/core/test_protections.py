"""Protected ranges planned (pure): what a pair wants, the requests that make the sheet hold exactly that,
and the "trust no one" events."""

from __future__ import annotations

from typing import Any

from app.core.protections import (
    Access,
    ColumnAccess,
    column_protections,
    protection_requests,
    requester,
    tab_protection,
)
from app.core.trust_events import column_letter, trust_events

SA = Access(frozenset({"svc@proj.iam.gserviceaccount.com"}))
CHIEF = Access(frozenset({"chief@example.org"}), frozenset({"ideas@example.org"}))
COLUMNS = [
    ColumnAccess("Title", 0),
    ColumnAccess("Status", 1, open=True),
    ColumnAccess("Approved", 2, CHIEF, roles=("editor_in_chief",)),
    ColumnAccess("Card ID", 3),
]


def _as_read(requests: list[dict[str, Any]], requester_email: str = "") -> list[dict[str, Any]]:
    """The adds as Google would answer them in the next read (ids given, requester made an editor)."""
    read = []
    for number, request in enumerate(requests, start=1):
        body = dict(request["addProtectedRange"]["protectedRange"])
        body["protectedRangeId"] = number
        if requester_email and not body["warningOnly"]:
            users = [*body["editors"]["users"], requester_email]
            body["editors"] = {**body["editors"], "users": sorted(set(users))}
        read.append(body)
    return read


def test_lock_protects_owned_columns_headers_and_editable_columns_for_their_editors() -> None:
    wanted = column_protections(7, COLUMNS, "lock", SA)
    by = {p.description: p for p in wanted}
    assert set(by) == {
        "boardsheet: Title (written by boardsheet)",
        "boardsheet: Status header",
        "boardsheet: Approved header",
        "boardsheet: Approved (editable by editor_in_chief)",
        "boardsheet: Card ID (written by boardsheet)",
    }
    title = by["boardsheet: Title (written by boardsheet)"].body()
    assert title["range"] == {"sheetId": 7, "startColumnIndex": 0, "endColumnIndex": 1}
    assert title["editors"] == {"users": ["svc@proj.iam.gserviceaccount.com"], "groups": []}
    approved = by["boardsheet: Approved (editable by editor_in_chief)"].body()
    assert approved["range"] == {"sheetId": 7, "startRowIndex": 1, "startColumnIndex": 2, "endColumnIndex": 3}
    assert approved["editors"] == {
        "users": ["chief@example.org", "svc@proj.iam.gserviceaccount.com"],
        "groups": ["ideas@example.org"],
    }
    assert not approved["warningOnly"]


def test_warn_sends_no_editors_and_off_wants_nothing() -> None:
    warned = column_protections(0, COLUMNS, "warn", SA)
    assert warned and all(p.body()["warningOnly"] and "editors" not in p.body() for p in warned)
    assert "sheetId" not in warned[0].body()["range"]  # sheet 0 as Google echoes it
    assert column_protections(0, COLUMNS, "off", SA) == []
    assert tab_protection(5, "boardsheet view: x", "off", SA) == []


def test_the_first_plan_adds_then_a_read_back_needs_nothing() -> None:
    wanted = column_protections(7, COLUMNS, "lock", SA) + tab_protection(9, "boardsheet view: g", "lock", SA)
    requests = protection_requests(wanted, [])
    assert [next(iter(r)) for r in requests] == ["addProtectedRange"] * 6
    assert protection_requests(wanted, _as_read(requests)) == []


def test_moved_columns_and_changed_editors_are_updated_people_s_own_ranges_untouched() -> None:
    wanted = column_protections(7, COLUMNS, "lock", SA)
    read = _as_read(protection_requests(wanted, []))
    theirs = {"protectedRangeId": 99, "description": "finance only", "range": {"sheetId": 7}}
    deputy = Access(frozenset({"deputy@example.org"}))
    moved = [
        ColumnAccess("Title", 4),
        COLUMNS[1],
        ColumnAccess("Approved", 2, deputy, roles=("editor_in_chief",)),
        COLUMNS[3],
    ]
    requests = protection_requests(column_protections(7, moved, "lock", SA), [*read, theirs])
    assert all("updateProtectedRange" in r for r in requests)
    updates = {
        r["updateProtectedRange"]["protectedRange"]["description"]: r["updateProtectedRange"]
        for r in requests
    }
    assert set(updates) == {
        "boardsheet: Title (written by boardsheet)",
        "boardsheet: Approved (editable by editor_in_chief)",
    }
    assert (
        updates["boardsheet: Title (written by boardsheet)"]["protectedRange"]["range"]["startColumnIndex"]
        == 4
    )
    approved = updates["boardsheet: Approved (editable by editor_in_chief)"]
    assert approved["protectedRange"]["editors"]["users"] == [
        "deputy@example.org",
        "svc@proj.iam.gserviceaccount.com",
    ]
    assert approved["fields"] == "range,description,warningOnly,editors"
    # A column no longer wanted loses its range; people's own are never touched.
    requests = protection_requests(column_protections(7, COLUMNS[:1], "lock", SA), [*read, theirs])
    deleted = {r["deleteProtectedRange"]["protectedRangeId"] for r in requests}
    assert len(deleted) == 4 and 99 not in deleted


def test_a_duplicate_of_ours_is_deleted() -> None:
    wanted = column_protections(7, COLUMNS[:1], "lock", SA)
    read = _as_read(protection_requests(wanted, []))
    copy = {**read[0], "protectedRangeId": 42}
    assert protection_requests(wanted, [*read, copy]) == [{"deleteProtectedRange": {"protectedRangeId": 42}}]


def test_trust_events_removed_and_widened_not_moved_nor_us() -> None:
    wanted = column_protections(7, COLUMNS, "lock", SA)
    read = _as_read(protection_requests(wanted, []))
    assert trust_events(wanted, read, {7: "Calendar"}, wanted=wanted) == []
    gone = [p for p in read if not p["description"].startswith("boardsheet: Title")]
    (event,) = trust_events(wanted, gone, {7: "Calendar"}, wanted=wanted)
    assert (event.kind, event.tab, event.range) == ("removed", "Calendar", "column A")
    widened = [
        {**p, "editors": {"users": [*p["editors"]["users"], "eve@example.org"]}}
        if "Approved (" in p["description"]
        else p
        for p in read
    ]
    (event,) = trust_events(wanted, widened, {7: "Calendar"}, wanted=wanted)
    assert (event.kind, event.range) == ("widened", "C2:C")
    assert "eve@example.org" in event.detail
    moved = [{**p, "range": {**p["range"], "startColumnIndex": 8, "endColumnIndex": 9}} for p in read]
    assert trust_events(wanted, moved, {7: "Calendar"}, wanted=wanted) == []
    me = frozenset({"tester@emulator.invalid"})
    ours_as_read = _as_read(protection_requests(wanted, []), "tester@emulator.invalid")
    assert trust_events(wanted, ours_as_read, {}, me, wanted=wanted) == []


def test_a_protection_the_config_no_longer_asks_for_is_no_trust_event() -> None:
    """Its intake, view or column removed from the YAML, or `protect: off`: the run deletes it, quietly,
    though its tab was not read at all ("tab '?' ... removed by unknown; restored" was reported)."""
    ideas = tab_protection(12, "boardsheet: Ideas tab", "lock", SA)
    left = [*column_protections(7, COLUMNS, "lock", SA), *ideas]
    read = _as_read(protection_requests(left, []))
    main_tab_only = [p for p in read if p["range"].get("sheetId") == 7]
    now = column_protections(7, COLUMNS, "lock", SA)
    assert trust_events(left, main_tab_only, {7: "Calendar"}, wanted=now) == []
    assert trust_events(left, [], {7: "Calendar"}, wanted=[]) == []  # protect: off
    (event,) = trust_events(left, main_tab_only[1:], {7: "Calendar"}, wanted=now)  # still wanted: reported
    assert (event.kind, event.tab) == ("removed", "Calendar")


def test_a_lock_turned_into_a_warning_is_a_widening() -> None:
    wanted = column_protections(7, COLUMNS[:1], "lock", SA)
    read = [{**p, "warningOnly": True} for p in _as_read(protection_requests(wanted, []))]
    (event,) = trust_events(wanted, read, {7: "Calendar"}, wanted=wanted)
    assert event.kind == "widened" and "warning" in event.detail


def test_the_requester_is_who_every_lock_range_shares() -> None:
    unknown = Access()
    wanted = column_protections(7, COLUMNS, "lock", unknown)
    read = _as_read(protection_requests(wanted, []), "me@emulator.invalid")
    assert requester(read, ["chief@example.org"]) == {"me@emulator.invalid"}
    assert requester(read[:1], []) == frozenset()  # one range proves nothing


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]


def test_an_owner_google_keeps_in_every_range_is_no_difference() -> None:
    wanted = column_protections(7, COLUMNS, "lock", SA)
    read = _as_read(protection_requests(wanted, []), "owner@example.org")
    implied = requester(read, ["chief@example.org"])
    assert implied == {"owner@example.org", "svc@proj.iam.gserviceaccount.com"}
    assert protection_requests(wanted, read, implied) == []
    assert len(protection_requests(wanted, read)) == len(wanted)  # without it, every range differs
