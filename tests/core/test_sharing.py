"""The pure sharing audit: wanted vs listed permissions → grants, removals and trust-no-one events."""

from __future__ import annotations

import pytest

from app.core.sharing import Grant, Permission, Removal, plan_sharing

OWNER = Permission("p-owner", "user", "owner", "owner@example.org")
BOT = Permission("p-bot", "user", "writer", "bot@project.iam.gserviceaccount.com")
CHIEF = ("user", "chief@example.org")
DOMAIN = ("domain", "example.org")
WANTED = {CHIEF: "writer", DOMAIN: "reader"}


def plan(
    *actual: Permission, wanted: dict[tuple[str, str], str] | None = None, last_owner: str | None = None
):  # type: ignore[no-untyped-def]
    return plan_sharing(
        WANTED if wanted is None else wanted,
        [OWNER, BOT, *actual],
        service_accounts=["Bot@project.iam.gserviceaccount.com"],
        last_owner=last_owner,
    )


def test_missing_permissions_are_granted_and_nothing_else_happens() -> None:
    result = plan()
    assert result.grants == [Grant(CHIEF, "writer"), Grant(DOMAIN, "reader")]
    assert result.removals == [] and result.events == [] and result.owner == "owner@example.org"


def test_a_permission_below_the_wanted_role_is_raised_without_approval() -> None:
    result = plan(
        Permission("p-chief", "user", "reader", "chief@example.org"),
        Permission("p-d", "domain", "reader", "example.org"),
    )
    assert result.grants == [Grant(CHIEF, "writer", "p-chief")]
    assert result.removals == [] and result.events == []


def test_everything_granted_means_an_empty_plan() -> None:
    result = plan(
        Permission("p-chief", "user", "writer", "chief@example.org"),
        Permission("p-d", "domain", "reader", "example.org"),
    )
    assert (result.grants, result.removals, result.events) == ([], [], [])


@pytest.mark.parametrize(
    ("permission", "kinds", "removal_to"),
    [
        # an editor nobody granted: reported and removed
        (Permission("p-x", "user", "writer", "mallory@evil.example"), ["unexpected_writer"], None),
        # a reader nobody granted: not an event, but enforce removes it
        (Permission("p-x", "user", "reader", "someone@example.net"), [], None),
        # a wanted reader who got write access: reported, lowered back
        (Permission("p-x", "domain", "writer", "example.org"), ["unexpected_writer"], "reader"),
        # the link shared with anyone
        (Permission("anyoneWithLink", "anyone", "reader"), ["anyone_link"], None),
        (
            Permission("anyone", "anyone", "writer", discoverable=True),
            ["anyone_link", "unexpected_writer"],
            None,
        ),
        # the wanted domain made discoverable by search
        (
            Permission("p-x", "domain", "reader", "example.org", discoverable=True),
            ["domain_discoverable"],
            None,
        ),
        (Permission("p-x", "group", "organizer", "ops@example.org"), ["unexpected_writer"], None),
    ],
)
def test_what_nobody_granted(permission: Permission, kinds: list[str], removal_to: str | None) -> None:
    result = plan(Permission("p-chief", "user", "writer", "chief@example.org"), permission)
    assert [e.kind for e in result.events] == kinds
    assert all(e.permission_id == permission.id for e in result.events)
    assert result.removals == [Removal(permission, removal_to)]


def test_the_owner_and_the_service_account_are_never_removed_nor_reported() -> None:
    result = plan(wanted={})
    assert (result.grants, result.removals, result.events) == ([], [], [])


def test_an_owner_change_since_the_last_audit_is_an_event() -> None:
    assert plan(wanted={}, last_owner=None).events == []  # the first audit only notes the owner
    assert plan(wanted={}, last_owner="owner@example.org").events == []
    (event,) = plan(wanted={}, last_owner="previous@example.org").events
    assert event.kind == "owner_changed" and "previous@example.org" in event.message
    assert event.key == "owner:owner@example.org" and event.permission_id is None


def test_event_keys_are_stable_while_the_permission_stands_and_change_with_its_role() -> None:
    writer = Permission("p-x", "user", "writer", "mallory@evil.example")
    first, again = plan(writer).events, plan(writer).events
    assert [e.key for e in first] == [e.key for e in again]
    raised = plan(Permission("p-x", "user", "organizer", "mallory@evil.example")).events
    assert [e.key for e in raised] != [e.key for e in first]
