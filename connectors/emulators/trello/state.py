"""In-memory model of the Trello emulator: ids, dates, members and the stored objects."""

from __future__ import annotations

import itertools
import math
import re
import string
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

_OBJECT_ID = re.compile(r"^[0-9a-f]{24}$")
_SHORT_ALPHABET = string.ascii_letters + string.digits
LABEL_COLORS = ("green", "yellow", "orange", "red", "purple", "blue", "sky", "lime", "pink", "black")
DEFAULT_MEMBERS = {
    "token-ops": ("ops", "Ops Team"),
    "token-alice": ("alice", "Alice Martin"),
    "token-bob": ("bob", "Bob Durand"),
}


class TrelloError(Exception):
    """An error answer in Trello's form: status and plain-text body (or a JSON body, as the limit errors)."""

    def __init__(self, status: int, text: str, body: dict[str, str] | None = None) -> None:
        super().__init__(text)
        self.status = status
        self.text = text
        self.body = body


def not_found() -> TrelloError:
    """Trello's 404 for an unknown object."""
    return TrelloError(404, "The requested resource was not found.")


def iso(ts: float) -> str:
    """A Unix time as Trello writes dates: ISO-8601 UTC with milliseconds and Z."""
    moment = datetime.fromtimestamp(ts, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_date(value: Any) -> str | None:
    """Any date a client sends (ISO with offset, 'YYYY-MM-DD HH:MM:SS UTC', ms epoch) in Trello's form."""
    if value in (None, "", "null"):
        return None
    if isinstance(value, int | float) or (isinstance(value, str) and value.isdigit()):
        return iso(float(value) / 1000)
    text = str(value).strip().replace(" UTC", "+00:00").replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise TrelloError(400, "invalid value for due") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return iso(moment.timestamp())


def is_object_id(value: str) -> bool:
    """True for a 24-hex Trello ObjectId."""
    return bool(_OBJECT_ID.match(value))


@dataclass
class TrelloState:
    """Every stored object, keyed by id, plus the member of each token (guard with `lock`)."""

    lock: threading.RLock = field(default_factory=threading.RLock)
    members: dict[str, dict[str, Any]] = field(default_factory=dict)
    token_members: dict[str, str] = field(default_factory=dict)
    boards: dict[str, dict[str, Any]] = field(default_factory=dict)
    lists: dict[str, dict[str, Any]] = field(default_factory=dict)
    cards: dict[str, dict[str, Any]] = field(default_factory=dict)
    labels: dict[str, dict[str, Any]] = field(default_factory=dict)
    custom_fields: dict[str, dict[str, Any]] = field(default_factory=dict)
    field_items: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    checklists: dict[str, dict[str, Any]] = field(default_factory=dict)
    actions: list[dict[str, Any]] = field(default_factory=list)
    webhooks: dict[str, dict[str, Any]] = field(default_factory=dict)
    _counter: itertools.count[int] = field(default_factory=lambda: itertools.count(0x100000))

    def new_id(self) -> str:
        """A fresh ObjectId: 8 hex digits of creation time, then a unique 16-hex suffix."""
        return f"{int(time.time()):08x}{next(self._counter):016x}"

    def short_link(self, object_id: str) -> str:
        """An 8-character short link derived from the id (stable, unique per id)."""
        number = int(object_id, 16)
        chars = []
        for _ in range(8):
            number, rest = divmod(number, len(_SHORT_ALPHABET))
            chars.append(_SHORT_ALPHABET[rest])
        return "".join(chars)

    def add_member(self, token: str, username: str, full_name: str) -> dict[str, Any]:
        """Register a member and the token that acts as them."""
        member_id = self.new_id()
        initials = "".join(part[0] for part in full_name.split()).upper()
        member = {"id": member_id, "username": username, "fullName": full_name, "initials": initials}
        self.members[member_id] = member
        self.token_members[token] = member_id
        return member

    def member_for(self, token: str) -> dict[str, Any] | None:
        """The member a token belongs to, if the token is known."""
        member_id = self.token_members.get(token)
        return self.members.get(member_id) if member_id else None

    def find_member(self, ref: str) -> dict[str, Any]:
        """A member by id or username."""
        for member in self.members.values():
            if ref in (member["id"], member["username"]):
                return member
        raise not_found()

    def get(self, kind: str, object_id: str) -> dict[str, Any]:
        """A stored object by kind ('boards', 'cards', ...) and id or short link, or Trello's error."""
        store: dict[str, dict[str, Any]] = getattr(self, kind)
        found = store.get(object_id)
        if found is None:
            found = next((o for o in store.values() if o.get("shortLink") == object_id), None)
        if found is None:
            if not is_object_id(object_id) and len(object_id) != 8:
                raise TrelloError(400, "invalid id")
            raise not_found()
        return found

    def board_cards(self, board_id: str) -> list[dict[str, Any]]:
        """A board's cards in list order, then position."""
        order = {lst["id"]: lst["pos"] for lst in self.lists.values()}
        cards = [c for c in self.cards.values() if c["idBoard"] == board_id]
        return sorted(cards, key=lambda c: (order.get(c["idList"], 0), c["pos"]))

    def next_pos(self, siblings: list[dict[str, Any]], where: Any) -> float:
        """Trello's position for 'top', 'bottom' or a number among siblings."""
        positions = [float(s["pos"]) for s in siblings]
        if where in (None, "", "bottom"):
            return (max(positions) if positions else 0.0) + 16384.0
        if where == "top":
            return (min(positions) / 2) if positions else 16384.0
        try:
            pos = float(where)
        except (TypeError, ValueError) as exc:
            raise TrelloError(400, "invalid value for pos") from exc
        if not math.isfinite(pos) or pos < 0:  # "top, bottom, or a positive float" (Trello's reference)
            raise TrelloError(400, "invalid value for pos")
        return pos


def new_state(tokens: dict[str, tuple[str, str]] | None = None) -> TrelloState:
    """A state with one member per token (default: ops, alice, bob)."""
    state = TrelloState()
    for token, (username, full_name) in (tokens or DEFAULT_MEMBERS).items():
        state.add_member(token, username, full_name)
    return state
