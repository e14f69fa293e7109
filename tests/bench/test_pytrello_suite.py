"""py-trello's own test suite, fetched from the package index and run live against the Trello emulator.

The pass count may not drop below the figure docs/emulators.md gives, and every failure must be one it
explains (bench.pytrello_suite.KNOWN_FAILURES). Without the package index the test skips, saying why.
"""

from __future__ import annotations

import re

import pytest

from bench.pytrello_suite import KNOWN_FAILURES, Outcome, Unavailable, run_suite
from tests.support.paths import ROOT

DOCS = ROOT / "docs" / "emulators.md"
FIGURE = re.compile(r"py-trello's suite[^\n]*?\*\*(\d+) of (\d+)\*\*")


def documented() -> tuple[int, int]:
    """The pass count and total docs/emulators.md gives."""
    found = FIGURE.search(DOCS.read_text(encoding="utf-8"))
    assert found, "docs/emulators.md gives no 'py-trello's suite ... **N of M**' figure"
    return int(found.group(1)), int(found.group(2))


def test_the_docs_explain_every_known_failure() -> None:
    text = DOCS.read_text(encoding="utf-8")
    passed, total = documented()
    assert total - passed == len(KNOWN_FAILURES)
    for name in KNOWN_FAILURES:
        assert name.split(".")[1] in text, f"{name} is not explained in docs/emulators.md"


@pytest.mark.http
@pytest.mark.slow
def test_pytrello_suite_passes_as_documented() -> None:
    try:
        outcome: Outcome = run_suite()
    except Unavailable as exc:
        pytest.skip(str(exc))
    passed, total = documented()
    unexplained = {name: message for name, message in outcome.failed.items() if name not in KNOWN_FAILURES}
    assert unexplained == {}
    assert len(outcome.passed) >= passed
    assert outcome.total == total
