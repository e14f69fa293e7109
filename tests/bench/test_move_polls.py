"""The latency bench reads the sheet as a stakeholder, who has a quota of their own: a 429 is no crash."""

from __future__ import annotations

import httpx
import pytest

from bench.harness import HEADERS
from bench.service_harness import Service
from bench.webhook_figures import move_and_wait
from connectors.emulators.synthetic import LISTS


def _service() -> Service:
    ids = {"Post 00000": "c0", **{name: f"list-{name}" for name in LISTS}}
    return Service("http://service", "http://trello", "http://sheets", ids, "sheet-1")


def test_a_poll_over_the_stakeholders_quota_is_skipped_and_the_move_still_measured() -> None:
    answers = iter([429, 429, 200])
    polls: list[int] = []

    def sheets(request: httpx.Request) -> httpx.Response:
        status = next(answers)
        polls.append(status)
        row = ["2026-12-01", "Post", LISTS[1], "", "", "c0"]
        values = [[*HEADERS, "Card ID"], row]
        return httpx.Response(status, json={"values": values} if status == 200 else {"error": {"code": 429}})

    moved: list[httpx.Request] = []

    def trello_put(request: httpx.Request) -> httpx.Response:
        moved.append(request)
        return httpx.Response(200, json={})

    trello = httpx.Client(base_url="http://trello", transport=httpx.MockTransport(trello_put))
    reader = httpx.Client(transport=httpx.MockTransport(sheets))
    seconds = move_and_wait(_service(), trello, reader, 0, poll_every=0.0)
    assert seconds is not None and seconds >= 0
    assert polls == [429, 429, 200]  # polled on through the refusals, stopped at the first showing the move
    assert moved[0].url.params["idList"] == f"list-{LISTS[1]}"


def test_any_other_error_of_the_sheet_read_is_not_swallowed() -> None:
    trello = httpx.Client(
        base_url="http://trello", transport=httpx.MockTransport(lambda r: httpx.Response(200, json={}))
    )
    reader = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(403, json={})))
    with pytest.raises(httpx.HTTPStatusError) as raised:
        move_and_wait(_service(), trello, reader, 0, poll_every=0.0)
    assert raised.value.response.status_code == 403
