"""Suite-wide fixtures."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

# The shared fixtures, for every test: emulators and a webhook receiver, stores, the service shell.
pytest_plugins = [
    "tests.support.sheets_emulator",
    "tests.support.trello_emulator",
    "tests.support.stores",
    "tests.support.services",
    "tests.support.service_account",
]


@pytest.fixture(scope="session", autouse=True)
def _freeze_what_was_imported() -> None:
    """Move everything alive after collection (modules, caches) out of the collector's sight: cheap gcs."""
    gc.freeze()


@pytest.fixture(autouse=True)
def _collect_garbage_after_each_test() -> Iterator[None]:
    """Collect garbage before the next test, so a leaked socket or file fails the test that leaked it.

    Without it the cyclic collector runs at a random later moment and `-W error` blames whichever test
    happens to be running then.
    """
    yield
    gc.collect()
