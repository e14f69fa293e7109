"""Instant mode: a signed "sheet edited" hint from the pair's on-edit Apps Script, taken in.

Body (JSON): {"spreadsheetId", "sheetId", "sheetName", "range", "editor", "editedAt"}; header
`X-Boardsheet-Signature: sha256=<hex HMAC-SHA256(pair key, raw body)>`. The pair key is
HMAC-SHA256(BOARDSHEET_SHEETS_HINT_SECRET, or else TRELLO_APP_SECRET, pair name), so one leaked script
exposes one pair only. `boardsheet apps-script PAIR` prints the script with its key; the Sheets emulator
posts the same body and signature (connectors/emulators/sheets/hints.py). A hint is never data: it asks
for a run and names the editor for the change log.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

from app.config.models import Config
from app.config.settings import Settings
from app.runtime.drive_push import PushFacts
from app.runtime.intake import RunRequests

__all__ = ["SIGNATURE_HEADER", "HintOutcome", "SheetHints", "hint_base_secret", "pair_key", "sign"]

SIGNATURE_HEADER = "X-Boardsheet-Signature"
HintOutcome = Literal["accepted", "bad_signature", "bad_json", "unknown_sheet", "stale"]
# A signed hint is good this long after its editedAt (either way: clocks differ): a captured hint cannot be
# replayed later to ask for runs or to name someone else as the editor.
HINT_MAX_AGE = 900.0


def hint_base_secret(settings: Settings) -> str | None:
    """BOARDSHEET_SHEETS_HINT_SECRET, else TRELLO_APP_SECRET, else None (every hint refused)."""
    secret = settings.sheets_hint_secret or settings.trello_app_secret
    return secret.get_secret_value() if secret is not None else None


def pair_key(base_secret: str, pair: str) -> str:
    """The pair's signing key: hex HMAC-SHA256(base secret, pair name) (what its script holds)."""
    return hmac.new(base_secret.encode(), pair.encode(), hashlib.sha256).hexdigest()


def sign(key: str, body: bytes) -> str:
    """The signature header's value for `body` under a pair key."""
    return "sha256=" + hmac.new(key.encode(), body, hashlib.sha256).hexdigest()


class EditNotes(Protocol):
    """Where verified hints are remembered for attribution and /status (Store fits)."""

    def note_sheet_edit(self, pair: str, editor: str, sheet_range: str) -> None: ...


@dataclass(frozen=True)
class _Tab:
    pair: str
    spreadsheet: str
    tab: str


class SheetHints:
    """Takes in instant-mode hints (thread-safe: called from the web thread pool)."""

    def __init__(
        self,
        config: Config,
        base_secret: str | None,
        notes: EditNotes,
        coordinators: RunRequests,
        tracker: PushFacts,
        clock: Callable[[], float],
    ) -> None:
        """`clock` (Unix seconds) judges each hint's editedAt."""
        self._clock = clock
        self._tabs = [_Tab(p.name, p.sheet.spreadsheet, p.sheet.tab) for p in config.pairs]
        self._secret = base_secret
        self._notes, self._coordinators, self._tracker = notes, coordinators, tracker

    def accept(self, body: bytes, signature: str | None, pair: str | None = None) -> HintOutcome:
        """Verify the signature for the named pair (or the pairs on the hinted tab); then request a run."""
        try:
            hint: Any = json.loads(body)
        except ValueError:
            hint = None
        if not isinstance(hint, dict):
            return "bad_json"
        candidates = self._candidates(hint, pair)
        if not candidates:
            return "unknown_sheet"
        signed = next((t for t in candidates if self._valid(t.pair, body, signature)), None)
        if signed is None:
            return "bad_signature"
        if not self._fresh(hint.get("editedAt")):
            return "stale"
        editor, where = hint.get("editor"), hint.get("range")
        self._notes.note_sheet_edit(
            signed.pair, editor if isinstance(editor, str) else "", where if isinstance(where, str) else ""
        )
        self._tracker.noticed(signed.pair, "hint")
        self._coordinators.request(signed.pair, "sheet-edit")
        return "accepted"

    def _candidates(self, hint: dict[str, Any], pair: str | None) -> Sequence[_Tab]:
        """The pairs the hint may be for: the named one, else those syncing the hinted tab."""
        if pair is not None:
            return [t for t in self._tabs if t.pair == pair]
        spreadsheet, tab = hint.get("spreadsheetId"), hint.get("sheetName")
        return [t for t in self._tabs if t.spreadsheet == spreadsheet and t.tab == tab]

    def _fresh(self, edited_at: Any) -> bool:
        """True when editedAt (RFC 3339, as `new Date().toISOString()` writes it) is within HINT_MAX_AGE."""
        try:
            when = datetime.fromisoformat(str(edited_at).replace("Z", "+00:00"))
        except ValueError:
            return False
        if when.tzinfo is None:
            return False
        return abs(self._clock() - when.timestamp()) <= HINT_MAX_AGE

    def _valid(self, pair: str, body: bytes, signature: str | None) -> bool:
        """True when `signature` is the pair key's HMAC of `body`, compared in constant time."""
        if not self._secret or not signature:
            return False
        expected = sign(pair_key(self._secret, pair), body)
        return hmac.compare_digest(expected.encode(), signature.strip().encode("utf-8", "replace"))
