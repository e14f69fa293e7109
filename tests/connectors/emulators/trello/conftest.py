"""The Trello emulator's own tests: `emulator` is the emulator under test, fresh for each test.

Its webhook retries are fast; the cassette replay shares one per module instead (shared_trello_emulator).
"""

from __future__ import annotations

import pytest

from tests.support.trello_emulator import TrelloEmulator


@pytest.fixture
def emulator(trello_emulator: TrelloEmulator) -> TrelloEmulator:
    """The Trello emulator under test (tests.support's, fresh for one test)."""
    return trello_emulator
