"""Trello edits, stakeholder edits and syncs interleaved at random; the sheet must always converge."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

from tests.support.sync_machine import SyncMachine

SyncMachine.TestCase.settings = settings(
    max_examples=2 * settings().max_examples,  # the core's machine: twice the profile's (300 in full)
    stateful_step_count=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestSyncMachine = SyncMachine.TestCase
