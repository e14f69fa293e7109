"""Build Trello's nested board JSON (as GET /1/boards/{id}?cards=all&... returns it) for tests."""

from __future__ import annotations

from typing import Any

from app.core.model import Column, Policy

LISTS = {"l1": "Drafting", "l2": "Review", "l3": "Scheduled"}
LABELS = {"lb1": "Urgent", "lb2": "Video"}
CHANNEL_OPTIONS = {"o1": "Blog", "o2": "Newsletter"}
COLUMNS = (
    Column("Date", "due"),
    Column("Title", "name"),
    Column("Status", "list"),
    Column("Channel", "custom:Channel"),
    Column("Budget", "custom:Budget"),
    Column("Ready", "custom:Ready"),
    Column("Labels", "labels"),
    Column("Link", "url"),
)


def policy(**overrides: Any) -> Policy:
    """The test pair's policy."""
    fields: dict[str, Any] = {"columns": COLUMNS, "timezone": "Europe/Paris"}
    fields.update(overrides)
    return Policy(**fields)


def card(card_id: str, name: str = "", **fields: Any) -> dict[str, Any]:
    """A card as Trello's board JSON nests it."""
    raw: dict[str, Any] = {
        "id": card_id,
        "name": name or f"card {card_id}",
        "desc": "",
        "due": None,
        "start": None,
        "dueComplete": False,
        "idList": "l1",
        "idLabels": [],
        "idMembers": [],
        "closed": False,
        "pos": 16384.0,
        "url": f"https://trello.com/c/{card_id}/x",
        "shortUrl": f"https://trello.com/c/{card_id}",
        "dateLastActivity": "2026-01-02T10:00:00.000Z",
        "customFieldItems": [],
    }
    raw.update(fields)
    return raw


def board(cards: list[dict[str, Any]], checklists: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A board with three lists, two labels, two members and four custom fields."""
    return {
        "id": "b1",
        "name": "Social calendar",
        "lists": [{"id": k, "name": v, "closed": False, "pos": i} for i, (k, v) in enumerate(LISTS.items())],
        "labels": [{"id": k, "name": v, "color": "red"} for k, v in LABELS.items()],
        "members": [{"id": "m1", "fullName": "Alice A"}, {"id": "m2", "fullName": "Bob B"}],
        "customFields": [
            {
                "id": "cf1",
                "name": "Channel",
                "type": "list",
                "options": [{"id": k, "value": {"text": v}} for k, v in CHANNEL_OPTIONS.items()],
            },
            {"id": "cf2", "name": "Budget", "type": "number"},
            {"id": "cf3", "name": "Ready", "type": "checkbox"},
            {"id": "cf4", "name": "Publish", "type": "date"},
            {"id": "cf5", "name": "Owner", "type": "text"},
        ],
        "cards": cards,
        "checklists": checklists or [],
    }
