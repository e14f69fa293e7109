"""Drive push channels: opened, renewed, stopped on removal and shutdown, one per spreadsheet."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

from app.runtime.drive_channels import ChannelKeeper
from app.store.store import Store
from tests.support.clock import FakeClock
from tests.support.fake_drive import FakeDrive
from tests.support.waiting import wait_until

ADDRESS = "https://bs.example.org/webhooks/drive"
DAY = 86400.0


def keeper(
    drive: FakeDrive, store: Store, clock: FakeClock, sheets: tuple[str, ...] = ("s1", "s2")
) -> ChannelKeeper:
    return ChannelKeeper(drive, store, sheets, ADDRESS, clock=clock, ttl=DAY, renew_before=3600.0)


def test_opens_one_channel_per_spreadsheet_to_our_address(store: Store) -> None:
    drive, clock = FakeDrive(), FakeClock(1_000_000.0)
    report = keeper(drive, store, clock).ensure_once()
    assert sorted(report.opened) == ["s1", "s2"]
    assert sorted(drive.watched) == ["s1", "s2"]
    assert {args["address"] for args in drive.open.values()} == {ADDRESS}
    rows = store.drive_channels()
    assert sorted(r.spreadsheet for r in rows) == ["s1", "s2"]
    # The token Drive echoes back is the one the store keeps, so every replica can verify it.
    assert {r.channel_id: r.token for r in rows} == {k: v["token"] for k, v in drive.open.items()}
    assert all(r.resource_id == f"res-{r.spreadsheet}" for r in rows)


def test_keeps_a_live_channel_and_renews_one_near_expiry(store: Store) -> None:
    drive, clock = FakeDrive(), FakeClock(1_000_000.0)
    channels = keeper(drive, store, clock, ("s1",))
    channels.ensure_once()
    first = store.drive_channels("s1")[0]
    clock.advance(DAY - 7200.0)  # two hours left: still live
    assert channels.ensure_once().kept == ["s1"]
    assert len(drive.watched) == 1
    clock.advance(3600.0 + 1)  # under an hour left: renew
    report = channels.ensure_once()
    assert report.renewed == ["s1"]
    assert drive.stopped == [first.channel_id]  # the old channel is stopped once the new one is open
    (second,) = store.drive_channels("s1")
    assert second.channel_id != first.channel_id
    assert second.expires_at == datetime.fromtimestamp(clock() + DAY, UTC)


def test_a_spreadsheet_leaving_the_config_has_its_channel_stopped(store: Store) -> None:
    drive, clock = FakeDrive(), FakeClock(1_000_000.0)
    keeper(drive, store, clock, ("s1", "s2")).ensure_once()
    (gone,) = store.drive_channels("s2")
    report = keeper(drive, store, clock, ("s1",)).ensure_once()  # the config changed: s2 left
    assert report.stopped == [gone.channel_id]
    assert drive.stopped == [gone.channel_id]
    assert [r.spreadsheet for r in store.drive_channels()] == ["s1"]


def test_shutdown_stops_every_channel(store: Store) -> None:
    drive, clock = FakeDrive(), FakeClock(1_000_000.0)
    channels = keeper(drive, store, clock)
    channels.ensure_once()
    channels.stop()
    assert drive.open == {}
    assert len(drive.stopped) == 2
    assert store.drive_channels() == []


def test_shutdown_waits_for_an_unanswering_drive_no_longer_than_its_budget(store: Store) -> None:
    # Drive unreachable at shutdown (each call retried for a minute) must not hold the process past
    # Docker's 10 s stop timeout: the channels are left to expire.
    drive, clock = FakeDrive(), FakeClock(1_000_000.0)
    channels = keeper(drive, store, clock)
    channels.ensure_once()
    release = threading.Event()
    answered = drive.stop

    def hanging_stop(channel_id: str, resource_id: str) -> None:
        assert release.wait(30)
        answered(channel_id, resource_id)

    drive.stop = hanging_stop  # type: ignore[method-assign]
    started = time.monotonic()
    channels.stop(budget=0.3)
    assert time.monotonic() - started < 5
    release.set()  # Drive answers after all: the stop ends, and with it its use of the store

    def stopping() -> bool:
        return any(t.name == "drive-stop" and t.is_alive() for t in threading.enumerate())

    wait_until(lambda: not stopping(), "the late stop to end")
    assert drive.open == {}


def test_a_refused_watch_leaves_no_row_and_is_reported(store: Store) -> None:
    drive, clock = FakeDrive(), FakeClock(1_000_000.0)
    drive.failing = True
    report = keeper(drive, store, clock, ("s1",)).ensure_once()
    assert report.opened == [] and len(report.errors) == 1
    assert store.drive_channels() == []
    drive.failing = False
    assert keeper(drive, store, clock, ("s1",)).ensure_once().opened == ["s1"]


def test_two_replicas_on_one_store_open_exactly_one_channel_per_spreadsheet(store_url: str) -> None:
    drive, clock = FakeDrive(), FakeClock(1_000_000.0)
    drive.gate = threading.Event()
    with Store(store_url) as a, Store(store_url) as b:
        first, second = keeper(drive, a, clock, ("s1",)), keeper(drive, b, clock, ("s1",))
        opening = threading.Thread(target=first.ensure_once)
        opening.start()
        assert drive.entered.wait(30)
        # Replica A is inside files.watch (its row saved, no resource id yet): B must not open another.
        report = second.ensure_once()
        drive.gate.set()
        opening.join(30)
        assert report.busy == ["s1"]
        assert second.ensure_once().kept == ["s1"]  # once A is done, B sees A's channel and keeps it
        assert drive.watched == ["s1"]
        assert [r.spreadsheet for r in b.drive_channels()] == ["s1"]
        assert drive.stopped == []
