"""POST /webhooks/trello answered ahead of FastAPI's routing: the route's answers, nothing else taken."""

from __future__ import annotations

import time
from collections.abc import Iterator
from types import SimpleNamespace
from typing import cast

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from app.config.settings import Settings
from app.runtime.intake import WebhookIntake
from app.runtime.metrics import Metrics
from app.runtime.registration import WEBHOOK_PATH
from app.runtime.tracker import RunTracker
from app.runtime.wiring import Services
from app.web.signature import sign
from app.web.webhook_fast_path import WebhookFastPath
from tests.support.webhook_fakes import CALLBACK, PUBLIC_URL, SECRET, Fake, load


@pytest.fixture
def world() -> Iterator[tuple[TestClient, Fake, list[str]]]:
    fake, reached = Fake(), []
    inner = FastAPI()

    @inner.api_route("/{path:path}", methods=["GET", "POST", "HEAD"])
    async def anything(request: Request) -> dict[str, str]:
        reached.append(f"{request.method} {request.url.path}")
        return {"app": "reached"}

    intake = WebhookIntake(fake, fake, fake, RunTracker(), time.time)
    settings = Settings(trello_app_secret=SECRET, public_url=PUBLIC_URL)
    services = cast(Services, SimpleNamespace(settings=settings, intake=intake, metrics=Metrics()))
    with TestClient(WebhookFastPath(inner, services)) as client:
        yield client, fake, reached
    intake.close()


def test_a_signed_delivery_is_taken_in_without_reaching_the_app(
    world: tuple[TestClient, Fake, list[str]],
) -> None:
    client, fake, reached = world
    body = load("updateCard.json")
    response = client.post(
        WEBHOOK_PATH, content=body, headers={"X-Trello-Webhook": sign(SECRET, body, CALLBACK)}
    )
    assert response.status_code == 200
    assert [c.field for c in fake.changes] == ["list"] and fake.runs == [("social", "webhook")]
    assert reached == []


def test_a_forged_delivery_gets_the_routes_401(world: tuple[TestClient, Fake, list[str]]) -> None:
    client, fake, reached = world
    response = client.post(
        WEBHOOK_PATH, content=load("updateCard.json"), headers={"X-Trello-Webhook": "bm9wZQ=="}
    )
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "bad_signature"
    assert (fake.changes, reached) == ([], [])


def test_every_other_request_reaches_the_app(world: tuple[TestClient, Fake, list[str]]) -> None:
    client, _fake, reached = world
    assert client.head(WEBHOOK_PATH).status_code == 200
    assert client.post("/webhooks/drive", content=b"{}").json() == {"app": "reached"}
    assert client.get(WEBHOOK_PATH + "/more").status_code == 200
    assert reached == [f"HEAD {WEBHOOK_PATH}", "POST /webhooks/drive", f"GET {WEBHOOK_PATH}/more"]
