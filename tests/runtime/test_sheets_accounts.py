"""Two service accounts against the Sheets emulator: each pair reaches its sheet as its account's e-mail,
on its account's limiter, under one project limiter; the emulator's per-user quota sees them apart."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.config.models import parse_config
from app.config.settings import Settings
from app.errors import ConfigError
from app.runtime.syncer_wiring import build_accounts
from connectors.sheets.limiters import project_limiters, sheets_limiters
from tests.support.configs import pairs_yaml
from tests.support.service_account import ACCOUNTS_PROJECT as PROJECT
from tests.support.service_account import account_key_file as key_file
from tests.support.service_account import private_key_pem  # noqa: F401 - a fixture
from tests.support.sheets_emulator import running_sheets

pytestmark = pytest.mark.http  # the emulator over loopback


def test_each_account_reads_as_itself_on_its_own_limiter(tmp_path: Path, private_key_pem: str) -> None:  # noqa: F811
    emails = {
        "a": "alpha@bench-project.iam.gserviceaccount.com",
        "b": "beta@bench-project.iam.gserviceaccount.com",
    }
    # Two reads a minute per user: four reads only pass if the emulator sees two users.
    with running_sheets(quota_per_minute=2) as em:
        files = {
            name: key_file(tmp_path, private_key_pem, email, f"{em.url}/token")
            for name, email in emails.items()
        }
        settings = Settings(
            GOOGLE_SHEETS_API_URL=em.url,
            BOARDSHEET_GOOGLE_ACCOUNTS=",".join(f"{name}={path}" for name, path in files.items()),
        )
        config = parse_config(pairs_yaml({}, 4), "c.yaml", {})
        by_pair = build_accounts(settings, config, retry_seconds=0.5)
        book = em.create()  # the emulator's own test user's write
        for email in emails.values():
            em.share(book, email, "writer")
        for pair in ("team-00", "team-01", "team-02", "team-03"):
            assert by_pair[pair].tabs(book)  # one read each, no 429
        assert sorted(c.identity for c in by_pair.values()) == sorted([*emails.values(), *emails.values()])
        project = project_limiters(PROJECT, em.url, 300)
        own = {name: sheets_limiters(email, em.url, 60, project) for name, email in emails.items()}
        assert [own[name]["read"].in_window() for name in emails] == [2, 2]
        assert [own[name]["write"].in_window() for name in emails] == [0, 0]
        assert project["read"].in_window() == 4  # the project's read limiter saw the sum
        assert project["write"].in_window() == 0


def test_an_unknown_account_stops_the_wiring_with_its_line() -> None:
    settings = Settings(BOARDSHEET_GOOGLE_ACCOUNTS="ops=/nowhere/ops.json")
    config = parse_config(pairs_yaml({"team-00": "opz"}, 1), "c.yaml", {})
    with pytest.raises(ConfigError, match=r"c.yaml:4.*no Google service account named 'opz'"):
        build_accounts(settings, config)
