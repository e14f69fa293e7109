"""The Syncer's wiring with several service accounts: each pair's connector acts as its account."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.config.models import parse_config
from app.config.settings import Settings
from app.runtime.syncer_wiring import build_syncer
from app.store.store import Store
from tests.support.configs import pairs_yaml
from tests.support.service_account import account_key_file as key_file
from tests.support.service_account import private_key_pem  # noqa: F401 - a fixture


def test_accounts_need_no_default_credentials(
    tmp_path: Path,
    private_key_pem: str,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    emails = ["ops@p.iam.gserviceaccount.com", "bulk@p.iam.gserviceaccount.com"]
    files = [key_file(tmp_path, private_key_pem, email, "https://oauth2.example/token") for email in emails]
    settings = Settings(
        TRELLO_API_KEY="k" * 32,
        TRELLO_TOKEN="t" * 64,
        BOARDSHEET_GOOGLE_ACCOUNTS=f"ops={files[0]},bulk={files[1]}",
    )
    config = parse_config(pairs_yaml({"team-03": "bulk"}, 4), "c.yaml", {})
    syncer = build_syncer(settings, config, store=Store(f"sqlite:///{tmp_path / 'state.db'}"))
    used = {pair.name: syncer.sheets_for(pair.name).identity for pair in config.pairs}
    assert used["team-03"] == emails[1]
    assert sorted(used.values()) == sorted(emails * 2)  # two pairs each


def test_the_service_keeps_the_long_retry_budget(
    tmp_path: Path,
    private_key_pem: str,  # noqa: F811
) -> None:
    # The commands give up within seconds (tests/cli/test_sync.py); the service rides out a minute's outage.
    from app.runtime.syncer_wiring import SERVICE_RETRY_SECONDS
    from app.runtime.wiring import build_services
    from tests.support.services import make_config

    key = key_file(tmp_path, private_key_pem, "ops@p.iam.gserviceaccount.com", "https://oauth2.example/token")
    settings = Settings(
        TRELLO_API_KEY="k" * 32, TRELLO_TOKEN="t" * 64, GOOGLE_APPLICATION_CREDENTIALS=str(key)
    )
    store = Store(f"sqlite:///{tmp_path / 'state.db'}")
    services = build_services(settings, make_config(), store=store)
    syncer = services.coordinators.get("alpha")._runner.__self__  # type: ignore[attr-defined]
    assert syncer.trello._session.retry_seconds == SERVICE_RETRY_SECONDS
    assert syncer.sheets_for("alpha")._transport._retry_seconds == SERVICE_RETRY_SECONDS
    store.close()
