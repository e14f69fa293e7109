"""The Sheets emulator's own tests: `emulator` is the emulator under test, one per module.

Each test creates its own spreadsheets, so sharing is safe; a test that needs other options (a quota,
faults) starts its own with tests.support.sheets_emulator.running_sheets.
"""

from __future__ import annotations

import pytest

from tests.support.sheets_emulator import SheetsEmulator


@pytest.fixture(scope="module")
def emulator(shared_sheets_emulator: SheetsEmulator) -> SheetsEmulator:
    """The Sheets emulator under test (tests.support's, one per module)."""
    return shared_sheets_emulator
