"""Lease holders' names and the process check: a holder is dead only when this machine surely says so."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from app.runtime.holders import Process, holder_is_dead, holder_name, parse, this_process


def test_a_holder_name_names_this_process_and_parses_back() -> None:
    me = this_process()
    named = parse(holder_name(me))
    assert named == me
    assert me.boot != "-" and me.start != "-"  # Linux: both known
    assert not holder_is_dead(holder_name(me))


def exited_process() -> Process:
    """A process of this machine that no longer runs: pids stay below pid_max (proc(5)), so none has it."""
    pid_max = int(Path("/proc/sys/kernel/pid_max").read_text(encoding="ascii"))
    return replace(this_process(), pid=pid_max)


def test_a_process_that_exited_is_dead() -> None:
    assert holder_is_dead(holder_name(exited_process()))


def test_a_reused_pid_is_dead() -> None:
    # This very pid, but started at another time: the holder was an earlier process with the same pid.
    me = this_process()
    assert holder_is_dead(holder_name(replace(me, start=str(int(me.start) - 1))))


def test_what_cannot_be_judged_is_alive() -> None:
    gone = exited_process()
    assert not holder_is_dead(holder_name(replace(gone, host="another-host")))
    assert not holder_is_dead(holder_name(replace(gone, boot="another-boot.4026531836")))
    assert not holder_is_dead(holder_name(replace(gone, boot="-")))
    assert not holder_is_dead(f"{gone.host}:{gone.pid}:0123abcd")  # an older version's name
    assert not holder_is_dead("a")
