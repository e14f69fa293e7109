"""Replay of recorded Sheets v4 traffic (tests/fixtures/sheets-recorded) against the Sheets emulator."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from tests.support.paths import FIXTURES
from tests.support.sheets_emulator import SheetsEmulator

CASSETTES = FIXTURES / "sheets-recorded"
SHEETS_HOST = "https://sheets.googleapis.com"
# gspread's tests ran as this service account (it shows as a protected range's editor); the replay acts as it,
# so the spreadsheets it prepares are its own and one it was refused (403) belongs to somebody else.
RECORDED_ACCOUNT = "telegram-budgeter@telegram-budgeter.iam.gserviceaccount.com"
SOMEBODY_ELSE = "somebody@example.org"
# Values compared exactly (not just by type): range echoes, counts, values and error texts.
EXACT_KEYS = {
    "range",
    "updatedRange",
    "clearedRange",
    "tableRange",
    "values",
    "majorDimension",
    "updatedRows",
    "updatedColumns",
    "updatedCells",
    "message",
    "status",
    "code",
    "title",
    "gridProperties",
    "hidden",
}
# Ids Google chose in batchUpdate replies, given to the emulator in the same request: (kind, holder, key).
INJECTED_IDS = [
    ("addSheet", "properties", "sheetId"),
    ("addNamedRange", "namedRange", "namedRangeId"),
    ("addProtectedRange", "protectedRange", "protectedRangeId"),
]


@dataclass
class Interaction:
    """One recorded request and its response."""

    method: str
    uri: str
    body: str | None
    status: int
    response: Any

    @property
    def is_sheets(self) -> bool:
        """Whether this is a Sheets v4 call (the rest are Drive)."""
        return self.uri.startswith(SHEETS_HOST + "/v4/spreadsheets")

    @property
    def path_and_query(self) -> str:
        """The request target without scheme and host."""
        parts = urlsplit(self.uri)
        return parts.path + (f"?{parts.query}" if parts.query else "")


def load(name: str) -> list[Interaction]:
    """The interactions of one cassette."""
    data = json.loads((CASSETTES / name).read_text(encoding="utf-8"))
    found = []
    for item in data["interactions"]:
        raw = item["response"]["body"]["string"]
        try:
            response = json.loads(raw) if raw else None
        except ValueError:
            response = raw
        request = item["request"]
        found.append(
            Interaction(
                request["method"],
                request["uri"],
                request["body"],
                item["response"]["status"]["code"],
                response,
            )
        )
    return found


def kind(value: Any) -> str:
    """A JSON value's type, numbers merged (Google writes 1 and 1.0 alike)."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


def differences(recorded: Any, answered: Any, path: str = "$") -> list[str]:
    """Where the answered JSON departs from the recorded one: keys, value types, exact-match fields."""
    if kind(recorded) != kind(answered):
        return [f"{path}: {kind(recorded)} recorded, {kind(answered)} answered"]
    if isinstance(recorded, dict):
        found = []
        if set(recorded) != set(answered):
            found.append(f"{path}: keys {sorted(recorded)} recorded, {sorted(answered)} answered")
        for key in set(recorded) & set(answered):
            if key in EXACT_KEYS and recorded[key] != answered[key]:
                found.append(f"{path}.{key}: {recorded[key]!r} recorded, {answered[key]!r} answered")
            else:
                found += differences(recorded[key], answered[key], f"{path}.{key}")
        return found
    if isinstance(recorded, list):
        if len(recorded) != len(answered):
            return [f"{path}: {len(recorded)} items recorded, {len(answered)} answered"]
        return [
            d
            for i, (r, a) in enumerate(zip(recorded, answered, strict=True))
            for d in differences(r, a, f"{path}[{i}]")
        ]
    return []


@dataclass
class Replay:
    """Replays a cassette's Sheets calls against the emulator after setting up the same spreadsheets."""

    emulator: SheetsEmulator
    sent: int = 0
    skipped: list[str] = field(default_factory=list)

    def _prepare(self, item: Interaction, titles: dict[str, str]) -> None:
        """Create the spreadsheet a call addresses, as Drive did in the recording (same id and title)."""
        spreadsheet_id = urlsplit(item.uri).path.split("/")[3].split(":")[0]
        if spreadsheet_id in self.emulator.state.spreadsheets or item.status == 404:
            return
        title = titles.get(spreadsheet_id, "Untitled spreadsheet")
        owner = SOMEBODY_ELSE if item.status == 403 else RECORDED_ACCOUNT
        self.emulator.state.create(
            {"properties": {"title": title}}, spreadsheet_id=spreadsheet_id, owner=owner
        )

    def _body(self, item: Interaction) -> Any:
        """The recorded body, given the ids Google chose in its replies, so later calls can name them."""
        if item.body is None:
            return None
        body = json.loads(item.body)
        if item.uri.endswith(":batchUpdate") and item.status == 200 and "requests" in body:
            for request, reply in zip(body["requests"], item.response["replies"], strict=True):
                for kind, holder, key in INJECTED_IDS:
                    if kind in request:
                        request[kind][holder][key] = reply[kind][holder][key]
        return body

    def _titles(self, item: Interaction, titles: dict[str, str]) -> None:
        """Learn spreadsheet titles from Drive calls (create, get, list), which are not replayed."""
        if item.status != 200 or not isinstance(item.response, dict):
            return
        if item.method == "POST" and urlsplit(item.uri).path.endswith("/drive/v3/files"):
            titles[item.response["id"]] = json.loads(item.body or "{}").get("name", "")
        for found in [item.response, *item.response.get("files", [])]:
            if "id" in found and "name" in found:
                titles.setdefault(found["id"], found["name"])

    def run(self, name: str) -> list[str]:
        """Replay every Sheets call of a cassette; the differences found, each prefixed by the call."""
        titles: dict[str, str] = {}
        problems: list[str] = []
        interactions = load(name)
        for item in interactions:
            if not item.is_sheets:
                self._titles(item, titles)
        for item in interactions:
            if not item.is_sheets:
                continue
            self._prepare(item, titles)
            with self.emulator.as_user(RECORDED_ACCOUNT) as session:
                response = session.request(
                    item.method, self.emulator.url + item.path_and_query, json=self._body(item), timeout=10
                )
            self.sent += 1
            where = f"{name}: {item.method} {item.path_and_query[:90]}"
            if response.status_code != item.status:
                answered = f"{response.status_code} answered ({response.text[:200]})"
                problems.append(f"{where}: status {item.status} recorded, {answered}")
                continue
            problems += [f"{where}: {d}" for d in differences(item.response, response.json())]
        return problems
