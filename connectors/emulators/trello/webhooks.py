"""Webhook delivery: signed POSTs from a background thread, retries with backoff, 410 removal."""

from __future__ import annotations

import base64
import hashlib
import heapq
import hmac
import itertools
import json
import threading
import time
from typing import Any

import requests

from connectors.emulators.trello.render import board_json, card_json, list_json
from connectors.emulators.trello.state import TrelloError, TrelloState, iso

RETRIES = 3
IDLE_EXIT = 5.0  # seconds without work after which the delivery thread ends (it restarts on demand)


def sign(secret: str, body: bytes, callback_url: str) -> str:
    """Trello's X-Trello-Webhook header: base64(HMAC-SHA1(app secret, body + callback URL))."""
    digest = hmac.new(secret.encode(), body + callback_url.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def check_callback(url: str) -> None:
    """Trello's creation check: a HEAD to the callback URL must answer 200."""
    try:
        status = requests.head(url, timeout=5.0).status_code  # HEAD never follows redirects
    except requests.RequestException as exc:
        raise TrelloError(400, f"URL ({url}) did not return 200 status code, got error") from exc
    if status != 200:
        raise TrelloError(400, f"URL ({url}) did not return 200 status code, got {status}")


def model_json(state: TrelloState, model_id: str) -> dict[str, Any] | None:
    """The JSON of a webhook's model (board, card or list), None when it no longer exists."""
    if model_id in state.boards:
        return board_json(state.boards[model_id])
    if model_id in state.cards:
        return card_json(state, state.cards[model_id])
    if model_id in state.lists:
        return list_json(state.lists[model_id])
    return None


def action_models(action: dict[str, Any]) -> set[str]:
    """Ids of every model an action concerns (its webhooks on any of them fire)."""
    data = action["data"]
    return {data[k]["id"] for k in ("board", "card", "list", "listBefore", "listAfter") if k in data}


class Dispatcher:
    """Delivers actions to active webhooks in one daemon thread; never blocks the request path."""

    def __init__(self, state: TrelloState, secret: str, backoff: float = 1.0) -> None:
        self.state = state
        self.secret = secret
        self.backoff = backoff
        self._heap: list[tuple[float, int, dict[str, Any]]] = []
        self._seq = itertools.count()
        self._cond = threading.Condition()
        self._busy = 0
        self._thread: threading.Thread | None = None

    def on_action(self, action: dict[str, Any]) -> None:
        """Queue one delivery per active webhook watching a model the action concerns."""
        models = action_models(action)
        with self.state.lock:
            hooks = [h for h in self.state.webhooks.values() if h["active"] and h["idModel"] in models]
            jobs = []
            for hook in hooks:
                model = model_json(self.state, hook["idModel"])
                envelope = {"action": action, "model": model, "webhook": public_webhook(hook)}
                jobs.append({"hook": hook["id"], "url": hook["callbackURL"], "body": envelope, "attempt": 0})
        for job in jobs:
            self._push(time.monotonic(), job)

    def _push(self, due: float, job: dict[str, Any]) -> None:
        with self._cond:
            heapq.heappush(self._heap, (due, next(self._seq), job))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="trello-webhooks", daemon=True)
                self._thread.start()
            self._cond.notify_all()

    def _run(self) -> None:
        while True:
            with self._cond:
                idle_since = time.monotonic()
                while not self._heap or self._heap[0][0] > time.monotonic():
                    if not self._heap and time.monotonic() - idle_since >= IDLE_EXIT:
                        # An emulator nobody uses any more must not keep a thread forever.
                        self._thread = None
                        return
                    wait = self._heap[0][0] - time.monotonic() if self._heap else IDLE_EXIT
                    self._cond.wait(wait)
                _, _, job = heapq.heappop(self._heap)
                self._busy += 1
            try:
                self._deliver(job)
            finally:
                with self._cond:
                    self._busy -= 1
                    self._cond.notify_all()

    def _deliver(self, job: dict[str, Any]) -> None:
        body = json.dumps(job["body"], separators=(",", ":")).encode()
        headers = {
            "Content-Type": "application/json",
            "X-Trello-Webhook": sign(self.secret, body, job["url"]),
        }
        try:
            # requests.post opens a session per call and closes it: nothing lingers when the receiver goes
            # away. No redirects: a 3xx is the receiver's answer (a failure), never a new address to try.
            answer = requests.post(
                job["url"], data=body, headers=headers, timeout=10.0, allow_redirects=False
            )
            status = answer.status_code
        except requests.RequestException:
            status = 0
        self._settle(job, status)

    def _settle(self, job: dict[str, Any], status: int) -> None:
        """Record the outcome: reset on success, delete on 410, count and maybe retry on failure."""
        with self.state.lock:
            hook = self.state.webhooks.get(job["hook"])
            if hook is None:
                return
            if 200 <= status < 300:
                hook["consecutiveFailures"] = 0
                hook["firstConsecutiveFailDate"] = None
                return
            if status == 410:
                del self.state.webhooks[job["hook"]]
                return
            hook["consecutiveFailures"] += 1
            hook["firstConsecutiveFailDate"] = hook["firstConsecutiveFailDate"] or iso(time.time())
        if job["attempt"] < RETRIES:
            job["attempt"] += 1
            self._push(time.monotonic() + self.backoff * job["attempt"], job)

    def drain(self, timeout: float = 10.0) -> bool:
        """Wait until every queued delivery (retries included) is done; False on timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._heap or self._busy:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(min(left, 0.05))
        return True


def public_webhook(hook: dict[str, Any]) -> dict[str, Any]:
    """A webhook as the API shows it."""
    keys = ("id", "description", "idModel", "callbackURL", "active", "consecutiveFailures")
    return {k: hook[k] for k in keys} | {"firstConsecutiveFailDate": hook["firstConsecutiveFailDate"]}
