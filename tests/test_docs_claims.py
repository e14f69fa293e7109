"""What the README and docs/ say about make targets, each other and polling-only mode holds.

A newcomer's trial: docs/reliability.md cited "the README's `make install`", which the README never
mentioned, and the README's polling-only mode did not say that Trello deliveries are then answered 404.
"""

from __future__ import annotations

import re

from tests.support.paths import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = {p.name: p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").glob("*.md"))}
TARGETS = set(re.findall(r"^([a-z][a-z-]*):", (ROOT / "Makefile").read_text(), re.MULTILINE))


def test_every_make_target_named_exists() -> None:
    named = {t for text in [README, *DOCS.values()] for t in re.findall(r"`make ([a-z][a-z-]*)", text)}
    assert named and named <= TARGETS, named - TARGETS


def test_what_the_docs_quote_from_the_readme_is_in_it() -> None:
    for name, text in DOCS.items():
        for quoted in re.findall(r"the README's `([^`]+)`", " ".join(text.split())):
            assert quoted in README, f"docs/{name} cites the README's `{quoted}`, which it does not hold"


def test_the_soak_module_needs_the_developer_install_and_make_soak_does_it() -> None:
    for text in (README, DOCS["reliability.md"]):
        flat = " ".join(text.split())
        assert "python -m bench.soak" in flat and "`make install`" in flat
        assert re.search(r"`make soak`[^.]*installs", flat), "say that `make soak` installs what it needs"


def test_polling_only_mode_says_trello_deliveries_are_404_and_where_signatures_are() -> None:
    flat = " ".join(README.split())
    mode = flat[flat.index("polling-only mode") :][:600]
    assert "`POST /webhooks/trello` answers 404 `not_found`" in mode, mode
    assert "docs/emulators.md" in mode and "HMAC-SHA1" in mode, mode
