"""`make test-fast` runs a tenth of the Hypothesis examples, `make test` all of them (tests/conftest.py).

Each property test takes its examples from the loaded profile: a fixed `max_examples=300` would ignore
the fast profile (the state machines were about 20 s of test-fast's minute of CPU) or, fixed low, weaken
`make test`.
"""

from __future__ import annotations

import ast
import re

from hypothesis import settings

from tests.support.paths import ROOT

TESTS = ROOT / "tests"


def test_the_fast_profile_runs_a_tenth_of_the_full_ones_examples() -> None:
    full, fast = settings.get_profile("full"), settings.get_profile("fast")
    assert fast.max_examples * 10 == full.max_examples
    assert full.max_examples >= 100  # Hypothesis's own default: make test is never weaker than it


def test_make_test_fast_uses_the_fast_profile_and_make_test_the_default() -> None:
    makefile = (ROOT / "Makefile").read_text()
    recipes = dict(re.findall(r"^(test|test-fast):.*\n\t(.*)$", makefile, re.MULTILINE))
    assert "--hypothesis-profile fast" in recipes["test-fast"]
    assert "--hypothesis-profile" not in recipes["test"]  # the default, "full", loaded by conftest.py


def test_no_property_test_fixes_its_number_of_examples() -> None:
    fixed = []
    for path in sorted(set(TESTS.rglob("*.py")) - {TESTS / "conftest.py"}):  # where the profiles are
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            literal = isinstance(node, ast.keyword) and isinstance(node.value, ast.Constant)
            if literal and node.arg == "max_examples":
                fixed.append(f"{path.relative_to(ROOT)}:{node.value.lineno}")
    assert fixed == []  # write `max_examples=settings().max_examples` (or a multiple of it)
