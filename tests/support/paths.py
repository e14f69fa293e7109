"""Where things are: the repository root and the recorded traffic, wherever a test file sits."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"  # recorded real traffic; provenance in its README
