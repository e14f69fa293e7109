"""The signed "sheet edited" hint an on-edit Apps Script would post (issue 10 §4, Instant mode).

After a write by a Google user (`Bearer user:EMAIL`: a person editing in the browser, where onEdit
triggers fire; API writes by service accounts or test users fire none: "Script executions and API requests
do not cause triggers to run", https://developers.google.com/apps-script/guides/triggers), one POST per
edited tab to the configured URL, with the JSON body and signature documented in docs/emulators.md:

    {"spreadsheetId": ..., "sheetId": 0, "sheetName": "Calendar", "range": "B2:C3",
     "editor": "chief@example.org", "editedAt": "2024-05-01T10:00:00.000Z"}
    X-Boardsheet-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>

One attempt each, as UrlFetchApp makes (no retry); failures are only counted.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import time

import requests

from connectors.emulators.scheduler import Scheduler
from connectors.emulators.sheets.files import Change
from connectors.emulators.sheets.sharing import rfc3339

SIGNATURE_HEADER = "X-Boardsheet-Signature"


def sign(secret: str, body: bytes) -> str:
    """The signature header's value: `sha256=` and the hex HMAC-SHA256 of the raw body."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class EditHints:
    """Posts a hint per tab a Google user edited, when a URL is configured (settable at run time)."""

    def __init__(self, url: str | None, secret: str | None) -> None:
        self.url = url
        self.secret = secret or ""
        self.sent = 0
        self.failed = 0
        self._scheduler = Scheduler("sheets-edit-hints")

    def on_change(self, change: Change) -> None:
        """Queue the hints of one change (only edits by Google users, only when configured)."""
        url = self.url
        if not url or change.user.kind != "user":
            return
        for sheet_id, title, a1_range in change.edits:
            body = {
                "spreadsheetId": change.file_id,
                "sheetId": sheet_id,
                "sheetName": title,
                "range": a1_range.rpartition("!")[2],
                "editor": change.user.email,
                "editedAt": rfc3339(time.time()),
            }
            raw = json.dumps(body, separators=(",", ":")).encode()
            self._scheduler.at(time.monotonic(), functools.partial(self._post, url, raw))

    def _post(self, url: str, raw: bytes) -> None:
        headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(self.secret, raw)}
        try:
            answer = requests.post(url, data=raw, headers=headers, timeout=10.0, allow_redirects=False)
            ok = 200 <= answer.status_code < 300
        except requests.RequestException:
            ok = False
        if ok:
            self.sent += 1
        else:
            self.failed += 1

    def drain(self, timeout: float = 10.0) -> bool:
        """Wait until every queued hint is posted (tests)."""
        return self._scheduler.drain(timeout)
