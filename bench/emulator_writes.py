"""The Sheets emulator under a client writing rows one at a time: its cost must follow the change.

A values.update of one row per request (`PUT .../values/Tab!A{n}:F{n}`), over HTTP, as a client filling a
tab row by row does. Every write used to deep-copy the whole spreadsheet (264 s for 1,000 rows); the
emulator now copies only the rows a write reaches (connectors/emulators/sheets/cow.py), so the last writes
cost about what the first did. (values.append still searches the table it appends to: that search reads
every filled cell of the table, as its definition asks, docs/benchmarks.md.)
"""

from __future__ import annotations

import time

import httpx

from bench.harness import TAB, emulators, seed
from bench.report import Figure, ms, secs

SECTION = "Sheets emulator (HTTP on loopback)"
GROWTH_TARGET = 2.0  # the last tenth's mean write time over the first tenth's


def emulator_figures(rows: int) -> list[Figure]:
    """Write `rows` rows one request each; total time and how a write's cost grows with the tab."""
    with emulators() as (t_app, _s_app, _trello_url, sheets_url):
        _ids, spreadsheet_id = seed(t_app, sheets_url, 1)
        url = f"{sheets_url}/v4/spreadsheets/{spreadsheet_id}/values/{TAB}!A{{row}}:F{{row}}"
        times: list[float] = []
        with httpx.Client(headers={"Authorization": "Bearer bench"}, timeout=30) as http:
            started = time.perf_counter()
            for n in range(rows):
                row = [
                    f"2026-12-{n % 28 + 1:02d}",
                    f"Post {n:05d}",
                    "Ideas",
                    "Instagram",
                    f"https://t/{n}",
                    n,
                ]
                sent = time.perf_counter()
                put = url.format(row=n + 1)
                response = http.put(put, params={"valueInputOption": "RAW"}, json={"values": [row]})
                response.raise_for_status()
                times.append(time.perf_counter() - sent)
            total = time.perf_counter() - started
    tenth = max(1, rows // 10)
    first, last = sum(times[:tenth]) / tenth, sum(times[-tenth:]) / tenth
    growth = last / first
    name = f"{rows:,} rows written one by one"
    return [
        Figure(SECTION, f"{name}: total", secs(total)),
        Figure(SECTION, f"{name}: mean first/last tenth", f"{ms(first)} / {ms(last)}"),
        Figure(SECTION, f"{name}: last / first tenth", f"{growth:.2f}x", f"≤ {GROWTH_TARGET:g}x",
               growth <= GROWTH_TARGET, "target"),
    ]  # fmt: skip
