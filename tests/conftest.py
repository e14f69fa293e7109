"""Suite-wide fixtures: the shared ones from tests.support, the enforced `http` marker, gc hygiene, and
the Hypothesis profiles."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

# Hypothesis profiles (tests/README.md): `make test` runs "full", the default; `make test-fast` passes
# `--hypothesis-profile fast`, which Hypothesis's pytest plugin loads after this file. Property tests set
# their examples relative to the profile's (`settings().max_examples`), never a fixed count, so the
# profile scales each of them. The state machines were ~20 s of test-fast's minute at full size.
settings.register_profile("full", max_examples=150)
settings.register_profile("fast", max_examples=15)
settings.load_profile("full")

# The shared fixtures, for every test: the offline guard, emulators and a webhook receiver, stores, the
# service shell, a service account.
pytest_plugins = [
    "tests.support.offline",
    "tests.support.sheets_emulator",
    "tests.support.trello_emulator",
    "tests.support.stores",
    "tests.support.services",
    "tests.support.service_account",
]


HTTP_DIRECTORIES = ("e2e",)  # whole-product tests over the emulators: every one opens sockets


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test under tests/e2e/ `http` (module and test marks do it elsewhere)."""
    tests = Path(__file__).parent
    for item in items:
        if item.path.relative_to(tests).parts[0] in HTTP_DIRECTORIES:
            item.add_marker(pytest.mark.http)


@pytest.fixture(scope="session", autouse=True)
def _freeze_what_was_imported() -> None:
    """Move everything alive after collection (modules, caches) out of the collector's sight: cheap gcs."""
    gc.freeze()


MODULE_END = "_collect_what_the_module_left"  # wider than a test, but holds nothing


class _WiderFixtures:
    """Whether a class- or module-scoped fixture was torn down since the last whole-heap collection."""

    ended = False


def pytest_fixture_post_finalizer(fixturedef: pytest.FixtureDef[object]) -> None:
    """Note a torn-down fixture wider than a test: what it held was frozen while it lived."""
    if fixturedef.scope in ("class", "module", "package") and fixturedef.argname != MODULE_END:
        _WiderFixtures.ended = True


@pytest.fixture(scope="module", autouse=True)
def _collect_what_the_module_left() -> Iterator[None]:
    """Once the module's own fixtures are gone (torn down before this one), collect them too.

    Only after a class- or module-scoped fixture ended: unfrozen, the collection walks every object of
    the process (about 0.2 s), and a module whose fixtures all lived one test each left nothing frozen
    that the per-test collections did not already see (most of `make test-fast`'s CPU went to these).
    """
    yield
    if not _WiderFixtures.ended:
        return
    _WiderFixtures.ended = False
    gc.unfreeze()  # what the module's fixtures kept alive may be garbage by now
    gc.collect()
    gc.freeze()


@pytest.fixture(autouse=True)
def _collect_garbage_after_each_test() -> Iterator[None]:
    """Collect garbage before the next test, so a leaked socket or file fails the test that leaked it.

    Without it the cyclic collector runs at a random later moment and `-W error` blames whichever test
    happens to be running then. What survives the collection is still in use: frozen, so the next
    test's collection walks only what that test made. Unfrozen, every collection walked every object
    every earlier test left alive (modules imported, emulator states, caches): 0.3 s a test, most of
    `make test-fast`'s time.
    """
    yield
    gc.collect()
    gc.freeze()
