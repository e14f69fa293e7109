"""The Drive v3 tests: `emulator` is the Sheets emulator (Drive lives on its port), one per module."""

from __future__ import annotations

import pytest

from tests.support.sheets_emulator import SheetsEmulator


@pytest.fixture(scope="module")
def emulator(shared_sheets_emulator: SheetsEmulator) -> SheetsEmulator:
    """The emulator under test (each test makes its own files)."""
    return shared_sheets_emulator
