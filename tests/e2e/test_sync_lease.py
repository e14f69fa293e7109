"""One run per pair at a time across processes: a run holds the pair's lease from its reads to save_run."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from app.errors import PairBusy
from app.runtime.coordinator import Coordinator
from app.runtime.lease import LEASE_TTL
from app.runtime.sync import Syncer
from app.store.store import Store
from tests.support.clock import FakeClock
from tests.support.world import World, world

OTHER = "other-host:4242:0123"


def other_process(w: World) -> Store:
    """A second Store on the world's database, as another replica or `boardsheet sync` would open it."""
    return Store(str(w.store.engine.url))


def test_a_run_while_another_holds_the_lease_does_nothing_then_runs_once_released(tmp_path: Path) -> None:
    with world(tmp_path, cards=5) as w, other_process(w) as other:
        assert other.acquire_lease("calendar", OTHER, LEASE_TTL)
        w.clear_logs()
        with pytest.raises(PairBusy, match="calendar"):
            w.sync()
        assert sum(w.calls().values()) == 0
        assert w.store.runs("calendar") == []
        assert w.values() == []
        other.release_lease("calendar", OTHER)
        result = w.sync()
        assert result.outcome == "ok"
        assert result.rows_added == 5
        assert len(w.values()) == 6
        assert [run.outcome for run in w.store.runs("calendar")] == ["ok"]
        # The run gave its lease back.
        assert other.acquire_lease("calendar", OTHER, LEASE_TTL)


def test_a_second_run_during_a_run_is_busy_without_a_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with world(tmp_path, cards=4) as w, other_process(w) as other:
        second = Syncer(w.config, w.trello, w.sheets, other)
        seen: dict[str, Any] = {}
        read_tab = w.sheets.read_tab

        def read_then_overlap(*args: Any, **kwargs: Any) -> Any:
            snapshot = read_tab(*args, **kwargs)
            before = sum(w.calls().values())
            with pytest.raises(PairBusy):
                second.run("calendar")
            seen["requests"] = sum(w.calls().values()) - before
            return snapshot

        monkeypatch.setattr(w.sheets, "read_tab", read_then_overlap)
        result = w.sync()
        assert seen == {"requests": 0}
        assert result.outcome == "ok"
        assert result.rows_added == 4
        assert len(w.values()) == 5  # appended once, not twice
        assert [run.outcome for run in other.runs("calendar")] == ["ok"]


def test_the_lease_covers_save_run_and_is_released_after_a_failed_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with world(tmp_path, cards=3) as w, other_process(w) as other:
        taken_during_save: list[bool] = []
        save_run = w.store.save_run

        def save_and_probe(*args: Any, **kwargs: Any) -> int:
            taken_during_save.append(other.acquire_lease("calendar", OTHER, LEASE_TTL))
            return save_run(*args, **kwargs)

        def refuse(*_args: Any, **_kwargs: Any) -> None:
            raise RuntimeError("Sheets answered 500")

        monkeypatch.setattr(w.store, "save_run", save_and_probe)
        monkeypatch.setattr(w.sheets, "batch_update", refuse)
        with pytest.raises(RuntimeError):
            w.sync()
        assert taken_during_save == [False]
        assert [run.outcome for run in w.store.runs("calendar")] == ["failed"]
        assert other.acquire_lease("calendar", OTHER, timedelta(seconds=30))


def test_planning_takes_no_lease(tmp_path: Path) -> None:
    with world(tmp_path, cards=2) as w, other_process(w) as other:
        assert other.acquire_lease("calendar", OTHER, LEASE_TTL)
        assert w.syncer().preview("calendar").plan.summary()["rows_added"] == 2


def test_a_coordinator_stops_waiting_once_its_real_run_takes_the_lease(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with world(tmp_path, cards=2) as w, other_process(w) as other:
        assert other.acquire_lease("calendar", OTHER, LEASE_TTL)
        clock = FakeClock()
        coordinator = Coordinator("calendar", w.syncer().run, clock=clock, debounce=1.0)
        waiting_at_reads: list[float | None] = []
        read_tab = w.sheets.read_tab

        def look_then_read(*args: Any, **kwargs: Any) -> Any:
            waiting_at_reads.append(coordinator.health.waiting_since)  # the run holds the lease here
            return read_tab(*args, **kwargs)

        monkeypatch.setattr(w.sheets, "read_tab", look_then_read)
        coordinator.request("webhook")
        clock.advance(1.0)
        assert coordinator.step() and coordinator.health.waiting_since == clock.now
        assert waiting_at_reads == []  # refused before reading anything
        other.release_lease("calendar", OTHER)
        clock.advance(1.0)
        assert coordinator.step()
        assert waiting_at_reads and set(waiting_at_reads) == {None}
        assert (coordinator.health.runs, coordinator.health.last_error) == (1, None)
