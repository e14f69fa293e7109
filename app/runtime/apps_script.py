"""The on-edit Apps Script of instant mode, for one pair: posts a signed hint to /webhooks/sheets.

Why an installable trigger: a simple `onEdit` may not call UrlFetchApp ("they cannot access services that
require authorization", https://developers.google.com/apps-script/guides/triggers#restrictions), and
`e.user` is only filled in when Google's security rules allow it
(https://developers.google.com/apps-script/guides/triggers/events#edit). The body and signature are the
ones `app.runtime.sheet_hints` verifies (HMAC-SHA256 of the exact body, computed with
`Utilities.computeHmacSha256Signature(value, key, charset)`, which answers signed bytes).
"""

from __future__ import annotations

import json
import re

__all__ = ["apps_script", "function_name"]

_TEMPLATE = """\
// boardsheet instant mode for pair {pair_json} (tab {tab_json}).
// Setup, once, by the spreadsheet's owner:
//   1. In the spreadsheet: Extensions > Apps Script; paste this whole text into a new file; save.
//   2. Triggers (the clock icon) > Add trigger: function {function},
//      event source "From spreadsheet", event type "On edit"; save, and allow the script
//      to connect to an external service (an installable trigger: a simple onEdit cannot).
//   3. Edit a cell of tab {tab_json}: `boardsheet status` shows the pair in "instant" mode.
// The key below signs this pair's hints only; treat it like a password. To revoke it, change
// BOARDSHEET_SHEETS_HINT_SECRET (or TRELLO_APP_SECRET) and install the newly printed script.
function {function}(e) {{
  var url = {url_json};
  var key = {key_json};
  var sheet = e.range.getSheet();
  if (sheet.getName() !== {tab_json}) return;
  var body = JSON.stringify({{
    spreadsheetId: e.source.getId(),
    sheetId: sheet.getSheetId(),
    sheetName: sheet.getName(),
    range: e.range.getA1Notation(),
    editor: (e.user && e.user.getEmail()) || "",
    editedAt: new Date().toISOString()
  }});
  var mac = Utilities.computeHmacSha256Signature(body, key, Utilities.Charset.UTF_8)
    .map(function (b) {{ return ("0" + (b & 0xff).toString(16)).slice(-2); }}).join("");
  UrlFetchApp.fetch(url, {{
    method: "post",
    contentType: "application/json",
    payload: body,
    headers: {{"X-Boardsheet-Signature": "sha256=" + mac}},
    muteHttpExceptions: true
  }});
}}
"""


def function_name(pair: str) -> str:
    """The trigger function's name: a JavaScript identifier unique to the pair."""
    return "boardsheetOnEdit_" + re.sub(r"[^A-Za-z0-9_]", "_", pair)


def apps_script(pair: str, tab: str, url: str, key: str) -> str:
    """The script's text: `url` is the hint address (with ?pair=), `key` the pair's signing key."""
    return _TEMPLATE.format(
        pair_json=json.dumps(pair),
        tab_json=json.dumps(tab),
        function=function_name(pair),
        url_json=json.dumps(url),
        key_json=json.dumps(key),
    )
