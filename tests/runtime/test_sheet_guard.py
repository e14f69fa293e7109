"""Roles as protected-range editors: users, groups, and a domain only when it is the owner's."""

from __future__ import annotations

from app.core.protections import Access
from app.runtime.sheet_guard import editors_of, tab_for_roles

ROLES = {
    "committee": ["group:ideas@example.org", "ann@example.org"],
    "editor_in_chief": ["chief@example.org"],
    "stakeholders": ["domain:example.org"],
}
SA = Access(frozenset({"svc@proj.iam.gserviceaccount.com"}))


def test_roles_become_users_and_groups() -> None:
    access = editors_of(ROLES, ["committee", "editor_in_chief"], None)
    assert access == Access(
        frozenset({"ann@example.org", "chief@example.org"}), frozenset({"ideas@example.org"})
    )


def test_a_domain_grants_domain_users_only_when_it_is_the_owner_s_domain() -> None:
    assert not editors_of(ROLES, ["stakeholders"], None).domain
    assert not editors_of(ROLES, ["stakeholders"], "other.org").domain
    assert editors_of(ROLES, ["stakeholders"], "example.org").domain


def test_the_intake_tab_is_protected_whole_for_its_roles_and_the_service() -> None:
    (protection,) = tab_for_roles(ROLES, "Ideas", 12, ["committee", "editor_in_chief"], "lock", SA)
    body = protection.body()
    assert body["range"] == {"sheetId": 12}
    assert body["description"] == "boardsheet: Ideas tab (editable by committee, editor_in_chief)"
    assert body["editors"]["users"] == [
        "ann@example.org",
        "chief@example.org",
        "svc@proj.iam.gserviceaccount.com",
    ]
    assert body["editors"]["groups"] == ["ideas@example.org"]
    assert tab_for_roles(ROLES, "Ideas", 12, ["committee"], "off", SA) == []
