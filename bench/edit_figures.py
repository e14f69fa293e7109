"""Sheet edit → Trello latency: a stakeholder (another Google user) moves a card by typing a list into the
two-way Status column; how long until the Trello emulator shows the card in that list, in instant mode
(the emulator's on-edit hint) and with Drive push at a short coalescing delay (Google's is about 3
minutes; googleapis/google-api-go-client#444).

The latency runs from the edit's answer to the first poll of the card (`GET /1/cards/{id}`) showing the
new list: the signal, the debounce, the run's reads, its plan and its `PUT /1/cards/{id}`.
"""

from __future__ import annotations

import time

import httpx

from app.runtime.sheet_hints import pair_key
from bench.harness import HEADERS, PAIR, SECRET, TAB
from bench.report import Figure, Kind, secs
from bench.service_harness import Service
from bench.webhook_figures import DEBOUNCE, POLL_EVERY, SECTION, percentile
from connectors.emulators.synthetic import LISTS

STAKEHOLDER = "stakeholder@example.org"
INSTANT_P95_TARGET = 3.0  # issue 10 §5
PUSH_DELAY = 0.5
# A two-way edit costs two runs (the edit's, and the echo's that Trello's webhook for our own PUT asks
# for): about 3 Sheets requests against Google's 60 a minute, which the service enforces client-side.
# Edits 3.5 s apart measure the signal path, not the quota's queue.
EDIT_PACE = 3.5
EDIT_TIMEOUT = 20.0


def share(service: Service, http: httpx.Client) -> None:
    """Give the stakeholder writer access through Drive, as the sheet's owner would."""
    body = {"type": "user", "role": "writer", "emailAddress": STAKEHOLDER}
    url = f"{service.sheets_url}/drive/v3/files/{service.spreadsheet_id}/permissions"
    http.post(url, json=body, params={"sendNotificationEmail": "false"}).raise_for_status()


def signals(service: Service, http: httpx.Client, *, instant: bool, push_delay: float) -> None:
    """Switch the emulator's on-edit hints to the service on or off, and set Drive's coalescing delay."""
    hints = {"url": f"{service.url}/webhooks/sheets?pair={PAIR}", "secret": pair_key(SECRET, PAIR)}
    body = hints if instant else {"url": None}
    http.put(f"{service.sheets_url}/_emulator/hints", json=body).raise_for_status()
    http.put(f"{service.sheets_url}/_emulator/push", json={"delay": push_delay}).raise_for_status()


def status_row(rows: list[list[str]], card_id: str) -> tuple[int, str]:
    """The card's A1 row number and the list its Status cell shows; LookupError when it has no row."""
    key, status = rows[0].index("Card ID"), rows[0].index(HEADERS[2])
    for number, row in enumerate(rows[1:], start=2):
        if len(row) > max(key, status) and row[key] == card_id:
            return number, row[status]
    raise LookupError(card_id)


def edit_status(service: Service, http: httpx.Client, row: int, list_name: str) -> float:
    """The stakeholder types `list_name` into the Status cell of `row`; the time the edit was answered."""
    url = f"{service.sheets_url}/v4/spreadsheets/{service.spreadsheet_id}/values/{TAB}!C{row}"
    headers = {"Authorization": f"Bearer user:{STAKEHOLDER}"}
    body = {"values": [[list_name]]}
    http.put(url, params={"valueInputOption": "USER_ENTERED"}, json=body, headers=headers).raise_for_status()
    return time.time()


def next_list(current: str) -> str:
    """A list other than `current`, so that the edit is a real move."""
    return LISTS[(LISTS.index(current) + 2) % len(LISTS)] if current in LISTS else LISTS[0]


def _edit_and_wait(service: Service, http: httpx.Client, trello: httpx.Client, n: int) -> float | None:
    """Move card n by editing its Status cell; seconds until Trello shows it, None when it never did."""
    card_id = service.ids[f"Post {n:05d}"]
    row, current = status_row(service.sheet(http), card_id)
    target = next_list(current)
    edited = edit_status(service, http, row, target)
    deadline = time.monotonic() + EDIT_TIMEOUT
    while time.monotonic() < deadline:
        card = trello.get(f"/1/cards/{card_id}", params={"fields": "idList"}).json()
        if card["idList"] == service.ids[target]:
            return time.time() - edited
        time.sleep(POLL_EVERY)
    return None


def _measure(service: Service, http: httpx.Client, cards: range) -> list[float | None]:
    """One paced edit per card of `cards`; each one's latency (None: Trello never showed it)."""
    latencies = []
    with service.trello() as trello:
        for n in cards:
            started = time.monotonic()
            latencies.append(_edit_and_wait(service, http, trello, n))
            time.sleep(max(0.0, started + EDIT_PACE - time.monotonic()))
    return latencies


def _figures(name: str, results: list[float | None], target: float | None) -> list[Figure]:
    seen, edits = [r for r in results if r is not None], len(results)
    met, target_moved = len(seen) == edits, f"{edits} (one per edit)"
    figures = [Figure(SECTION, f"{name}: cards moved", f"{len(seen)}", target_moved, met, "budget")]
    if seen:
        p95 = percentile(seen, 95)
        shown = f"≤ {secs(target)} (debounce {DEBOUNCE:g} s)" if target else f"delay {PUSH_DELAY:g} s"
        met_p95 = None if target is None else p95 <= target
        figures.append(Figure(SECTION, f"{name}: p50", secs(percentile(seen, 50))))
        kind: Kind = "target" if target else "info"
        figures.append(Figure(SECTION, f"{name}: p95", secs(p95), shown, met_p95, kind))
    return figures


def edit_latency_figures(service: Service, edits: int, first: int = 0) -> list[Figure]:
    """p50/p95 of sheet edit → Trello, first with instant hints (cards `first`..), then with Drive push
    alone (the next `edits` cards)."""
    with httpx.Client(timeout=10) as http:
        http.headers["Authorization"] = "Bearer bench-owner"
        share(service, http)
        signals(service, http, instant=True, push_delay=3600.0)
        time.sleep(EDIT_PACE)
        instant = _measure(service, http, range(first, first + edits))
        signals(service, http, instant=False, push_delay=PUSH_DELAY)
        time.sleep(EDIT_PACE)
        pushed = _measure(service, http, range(first + edits, first + 2 * edits))
    return [
        *_figures(f"{edits} sheet edits → Trello, instant", instant, INSTANT_P95_TARGET),
        *_figures(f"{edits} sheet edits → Trello, Drive push", pushed, None),
    ]
