"""Table tests for two-way columns: each rule of the three-way merge, each invalid value, both policies."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from app.core.decode import board_from_json
from app.core.engine import plan
from app.core.mapping import board_rows
from app.core.model import Base, Column, Policy
from app.core.plan import CustomItem, Plan, plan_from_json
from tests.support.boardjson import board, card
from tests.support.memsheet import MemSheet, sync

TWO_WAY = (
    Column("Date", "due", True),
    Column("Start", "start", True),
    Column("Done", "dueComplete", True),
    Column("Title", "name", True),
    Column("Details", "desc", True),
    Column("Status", "list", True),
    Column("Labels", "labels", True),
    Column("Owners", "members", True),
    Column("Channel", "custom:Channel", True),
    Column("Budget", "custom:Budget", True),
    Column("Ready", "custom:Ready", True),
    Column("Publish", "custom:Publish", True),
    Column("Owner", "custom:Owner", True),
    Column("Link", "url"),
)
HEADERS = [c.header for c in TWO_WAY]


def _policy(conflicts: str = "trello") -> Policy:
    return Policy(columns=TWO_WAY, timezone="Europe/Paris", conflicts=conflicts)  # type: ignore[arg-type]


def _card(**fields: Any) -> dict[str, Any]:
    return card(
        "c1", "Launch post", due="2026-03-10T09:00:00.000Z", idLabels=["lb1"], idMembers=["m1"], **fields
    )


def _text(value: str) -> dict[str, Any]:
    return {"userEnteredValue": {"stringValue": value}}


def _number(value: float) -> dict[str, Any]:
    return {"userEnteredValue": {"numberValue": value}}


def _bool(value: bool) -> dict[str, Any]:
    return {"userEnteredValue": {"boolValue": value}}


class World:
    """One card synced once into an in-memory sheet; then edits on either side and a plan."""

    def __init__(self, conflicts: str = "trello") -> None:
        self.policy = _policy(conflicts)
        self.board = board([_card()])
        self.sheet = MemSheet()
        self.base: Base | None = sync(self.sheet, self.board, None, self.policy).base

    def type(self, header: str, cell: dict[str, Any]) -> None:
        """A stakeholder types into the card's row."""
        self.sheet.set(1, HEADERS.index(header), cell)

    def value(self, header: str) -> Any:
        return self.sheet.value(1, HEADERS.index(header))

    def note(self, header: str) -> str:
        return str(self.sheet.grid[1][HEADERS.index(header)].get("note", ""))

    def trello(self, **fields: Any) -> None:
        """Someone changes the card in Trello."""
        self.board["cards"][0].update(fields)

    def run(self) -> Plan:
        """Plan and apply the sheet's side (Trello writes are only planned)."""
        result = sync(self.sheet, self.board, self.base, self.policy)
        self.base = result.base
        return result


def test_agreeing_sides_write_nothing() -> None:
    world = World()
    world.type("Title", _text("Launch post"))
    assert world.run().empty


def test_only_trello_changed_the_sheet_follows_and_nothing_goes_to_trello() -> None:
    world = World()
    world.trello(name="Renamed in Trello")
    result = world.run()
    assert result.trello == () and result.events == ()
    assert world.value("Title") == "Renamed in Trello"


ACCEPTED = [
    ("Date", _text("2026-12-24"), {"due": "2026-12-23T23:00:00.000Z"}, None, 46380.0),
    ("Date", _text("2026-12-24 14:30"), {"due": "2026-12-24T13:30:00.000Z"}, None, 46380 + 14.5 / 24),
    ("Date", _number(46380.0), {"due": "2026-12-23T23:00:00.000Z"}, None, 46380.0),
    ("Date", _text(""), {"due": None}, None, None),
    ("Start", _text("2026-07-01"), {"start": "2026-06-30T22:00:00.000Z"}, None, 46204.0),
    ("Done", _bool(True), {"dueComplete": True}, None, True),
    ("Done", _text("yes"), {"dueComplete": True}, None, True),
    ("Title", _text("New title"), {"name": "New title"}, None, "New title"),
    ("Title", _number(2026.0), {"name": "2026"}, None, "2026"),
    ("Details", _text("Some words"), {"desc": "Some words"}, None, "Some words"),
    ("Status", _text("review"), {"idList": "l2"}, None, "Review"),
    ("Labels", _text("video, Urgent"), {"idLabels": "lb2,lb1"}, None, "Video, Urgent"),
    ("Labels", _text(""), {"idLabels": ""}, None, None),
    ("Owners", _text("bob b, Alice A"), {"idMembers": "m2,m1"}, None, "Bob B, Alice A"),
    ("Channel", _text("newsletter"), {}, CustomItem("cf1", None, "o2"), "Newsletter"),
    ("Budget", _text("12.5"), {}, CustomItem("cf2", {"number": "12.5"}), 12.5),
    ("Budget", _number(3.0), {}, CustomItem("cf2", {"number": "3"}), 3.0),
    ("Ready", _bool(True), {}, CustomItem("cf3", {"checked": "true"}), True),
    ("Publish", _text("2026-05-01"), {}, CustomItem("cf4", {"date": "2026-04-30T22:00:00.000Z"}), 46143.0),
    ("Owner", _text("Zoe"), {}, CustomItem("cf5", {"text": "Zoe"}), "Zoe"),
]


@pytest.mark.parametrize(("header", "typed", "put", "item", "shown"), ACCEPTED)
def test_a_sheet_edit_is_read_as_the_fields_type_and_planned_for_trello(
    header: str, typed: dict[str, Any], put: dict[str, Any], item: CustomItem | None, shown: Any
) -> None:
    world = World()
    world.type(header, typed)
    result = world.run()
    (write,) = result.trello
    assert write.key == "c1"
    assert write.put == put
    assert write.custom == ((item,) if item else ())
    assert world.value(header) == shown  # the cell shows the value as Trello will map it back
    assert write.base == {header: shown}
    assert result.base["c1"][header] == shown
    (event,) = result.events
    assert (event.kind, event.key) == ("edit", "c1")
    assert result.summary()["edits_reverted"] == 0


def test_a_date_only_value_stays_a_date_only_cell_in_the_pairs_zone() -> None:
    world = World()
    world.type("Date", _text("2026-12-24"))
    world.run()
    assert world.sheet.grid[1][0]["userEnteredFormat"]["numberFormat"]["type"] == "DATE"


REJECTED = [
    ("Status", _text("Archive"), "no open list 'Archive'"),
    ("Status", _text(""), "a card needs a list"),
    ("Labels", _text("Urgent, Nope"), "no label 'Nope'"),
    ("Owners", _text("Carol"), "no member 'Carol'"),
    ("Date", _text("next week"), "is not a date"),
    ("Publish", _text("soon"), "is not a date"),
    ("Budget", _text("lots"), "is not a number"),
    ("Channel", _text("Podcast"), "not one of the options: Blog, Newsletter"),
    ("Title", _text(""), "a card needs a title"),
    ("Ready", _text("maybe"), "not a checkbox value"),
    ("Title", {"userEnteredValue": {"formulaValue": "=A1"}}, "a formula"),
]


@pytest.mark.parametrize(("header", "typed", "reason"), REJECTED)
def test_a_value_trello_cannot_take_returns_to_trellos_value_with_a_note_and_a_log_entry(
    header: str, typed: dict[str, Any], reason: str
) -> None:
    world = World()
    before = world.value(header)
    world.type(header, typed)
    result = world.run()
    assert result.trello == ()
    assert world.value(header) == before
    assert reason in world.note(header)
    (event,) = result.events
    assert event.kind == "rejected" and reason in event.reason
    assert result.summary()["edits_reverted"] == 1
    # The typed value is kept in the log (a formula as its text).
    typed_text = next(iter(typed["userEnteredValue"].values()))
    assert event.after == (typed_text or None)


def test_a_conflict_under_trello_keeps_trellos_value_and_logs_the_sheets() -> None:
    world = World("trello")
    world.trello(idList="l3")
    world.type("Status", _text("Review"))
    result = world.run()
    assert result.trello == ()
    assert world.value("Status") == "Scheduled"
    assert "conflicts: trello" in world.note("Status")
    (event,) = result.events
    assert (event.kind, event.before, event.after) == ("overridden", "Scheduled", "Review")


def test_a_conflict_under_sheet_writes_the_sheets_value_and_logs_trellos() -> None:
    world = World("sheet")
    world.trello(idList="l3")
    world.type("Status", _text("Review"))
    result = world.run()
    (write,) = result.trello
    assert write.put == {"idList": "l2"}
    assert world.value("Status") == "Review"
    assert "conflicts: sheet" in world.note("Status")
    kinds = {(e.kind, e.before, e.after) for e in result.events}
    assert kinds == {("edit", "Scheduled", "Review"), ("overridden", "Review", "Scheduled")}


def test_a_conflict_under_sheet_with_an_invalid_value_keeps_trellos() -> None:
    world = World("sheet")
    world.trello(idList="l3")
    world.type("Status", _text("Nowhere"))
    result = world.run()
    assert result.trello == ()
    assert world.value("Status") == "Scheduled"
    assert [e.kind for e in result.events] == ["rejected"]


def test_both_sides_making_the_same_change_is_no_conflict() -> None:
    world = World()
    world.trello(idList="l2")
    world.type("Status", _text("Review"))
    result = world.run()
    assert result.trello == () and result.events == ()


def test_several_edits_of_one_card_make_one_put_and_one_item_per_custom_field() -> None:
    world = World()
    world.type("Title", _text("New"))
    world.type("Status", _text("Scheduled"))
    world.type("Channel", _text("Blog"))
    (write,) = world.run().trello
    assert write.put == {"name": "New", "idList": "l3"}
    assert write.custom == (CustomItem("cf1", None, "o1"),)


def test_the_same_value_typed_another_way_is_shown_trellos_way_and_not_written() -> None:
    world = World()
    world.trello(due="2026-03-09T23:00:00.000Z")
    world.run()
    world.type("Date", _text("2026-03-10"))  # the same day, as text
    result = world.run()
    assert result.trello == () and result.events == ()
    assert isinstance(world.value("Date"), float)


def test_a_deleted_row_comes_back_and_the_log_says_so() -> None:
    world = World()
    world.board["cards"].append(card("c2", "Other"))
    world.run()
    del world.sheet.grid[1]  # c1's row
    result = world.run()
    assert result.deletes == () and result.trello == ()
    assert [(e.kind, e.key) for e in result.events] == [("restored", "c1")]
    titles = {world.sheet.value(r, HEADERS.index("Title")) for r in (1, 2)}
    assert titles == {"Launch post", "Other"}


def test_without_a_base_trello_wins_and_nothing_is_written_to_trello() -> None:
    world = World()
    world.base = None
    world.type("Title", _text("New title"))
    result = world.run()
    assert result.trello == ()
    assert world.value("Title") == "Launch post"


def test_one_way_columns_still_revert_sheet_edits() -> None:
    world = World()
    world.type("Link", _text("http://elsewhere"))
    result = world.run()
    assert result.trello == ()
    assert world.value("Link") == "https://trello.com/c/c1/x"


def test_after_trello_applied_the_write_the_next_run_writes_nothing() -> None:
    world = World()
    world.type("Status", _text("Review"))
    world.type("Date", _text("2026-12-24"))
    world.run()
    world.trello(idList="l2", due="2026-12-23T23:00:00.000Z")  # what the PUT does
    assert world.run().empty


def test_a_plan_with_trello_writes_survives_json() -> None:
    world = World()
    world.type("Channel", _text("Blog"))
    world.type("Title", _text("T"))
    result = plan(
        world.base,
        board_rows(board_from_json(copy.deepcopy(world.board)), world.policy),
        world.sheet.tab(),
        world.policy,
    )
    assert plan_from_json(result.to_json()) == result
