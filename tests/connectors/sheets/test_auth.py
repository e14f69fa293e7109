"""SheetsConnector credentials (service account, emulator token, ADC) and secrecy, over real HTTP."""

from __future__ import annotations

import json
import logging
import traceback
from pathlib import Path
from typing import Any

import google.auth
import google.auth.credentials
import google.auth.exceptions
import google.auth.transport
import pytest

from connectors.errors import AuthError, ConnectorError, NotFound, Transient
from connectors.sheets.auth import credentials_for, service_account_credentials
from connectors.sheets.client import SheetsConnector
from tests.support.clock import FakeClock
from tests.support.service_account import write_key_file
from tests.support.sheets_emulator import SheetsEmulator


def key_body(pem: str) -> str:
    """A distinctive slice of the private key's base64 body (what a leak would contain)."""
    return pem.splitlines()[5]


@pytest.mark.http
def test_a_service_account_key_file_gets_a_token_and_reads(
    sheets_emulator: SheetsEmulator, tmp_path: Path, private_key_pem: str
) -> None:
    path = write_key_file(tmp_path, private_key_pem, f"{sheets_emulator.url}/token")

    sheets = SheetsConnector(credentials_for(path, sheets_emulator.url), api_url=sheets_emulator.url)
    spreadsheet_id = sheets.create_spreadsheet("Via service account", ["Calendar"])
    tab = sheets.read_tab(spreadsheet_id, "Calendar")

    assert tab.title == "Calendar"
    log = [(e["method"], e["path"], e["status"]) for e in sheets_emulator.requests()]
    # The JWT grant happens once, then the issued bearer token is accepted on every call.
    assert log[0] == ("POST", "/token", 200)
    assert [entry for entry in log if entry[1] == "/token"] == [log[0]]
    assert [status for _, _, status in log[1:]] == [200, 200]


@pytest.mark.http
def test_no_secret_reaches_errors_or_logs(
    sheets_emulator: SheetsEmulator, tmp_path: Path, private_key_pem: str, caplog: pytest.LogCaptureFixture
) -> None:
    credentials = service_account_credentials(
        str(write_key_file(tmp_path, private_key_pem, f"{sheets_emulator.url}/token"))
    )
    sheets = SheetsConnector(
        credentials, api_url=sheets_emulator.url, retry_seconds=5.0, sleep=FakeClock().sleep
    )
    spreadsheet_id = sheets.create_spreadsheet("Secrets", ["Calendar"])
    token = str(credentials.token)
    assert token.startswith("ya29.")
    caplog.set_level(logging.DEBUG)
    sheets_emulator.faults.error_rate = 1.0

    failures: list[ConnectorError] = []
    for call in (
        lambda: sheets.read_tab(spreadsheet_id, "Calendar"),
        lambda: sheets.batch_update(spreadsheet_id, [{"addSheet": {"properties": {"title": "x"}}}]),
    ):
        with pytest.raises(Transient) as caught:
            call()
        failures.append(caught.value)
    sheets_emulator.faults.error_rate = 0.0
    with pytest.raises(NotFound) as missing:
        sheets.read_tab("missing-spreadsheet", "Calendar")
    failures.append(missing.value)

    texts = [caplog.text, repr(sheets)]
    texts += ["".join(traceback.format_exception(failure)) for failure in failures]
    for text in texts:
        assert token not in text
        assert key_body(private_key_pem) not in text
        assert "PRIVATE KEY" not in text


def test_an_unreadable_key_file_is_an_auth_error_without_its_content(
    tmp_path: Path, private_key_pem: str
) -> None:
    path = tmp_path / "broken.json"
    path.write_text(json.dumps({"type": "service_account", "private_key": private_key_pem}))

    with pytest.raises(AuthError) as caught:
        service_account_credentials(str(path))

    text = "".join(traceback.format_exception(caught.value))
    assert key_body(private_key_pem) not in text


@pytest.mark.http
def test_a_refused_token_grant_is_an_auth_error(
    sheets_emulator: SheetsEmulator, tmp_path: Path, private_key_pem: str
) -> None:
    # A token endpoint that answers 404: google-auth gives up, we must report credentials, not a crash.
    credentials = service_account_credentials(
        str(write_key_file(tmp_path, private_key_pem, f"{sheets_emulator.url}/no-token-here"))
    )
    sheets = SheetsConnector(
        credentials, api_url=sheets_emulator.url, retry_seconds=5.0, sleep=FakeClock().sleep
    )

    with pytest.raises(AuthError) as caught:
        sheets.tabs("anything")

    assert key_body(private_key_pem) not in "".join(traceback.format_exception(caught.value))


@pytest.mark.http
def test_with_an_emulator_url_and_no_key_file_a_fixed_token_is_used(
    sheets_emulator: SheetsEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_ambient_identity(**_kw: Any) -> Any:
        raise AssertionError("ADC must not be consulted when pointed at an emulator")

    monkeypatch.setattr(google.auth, "default", no_ambient_identity)
    sheets = SheetsConnector(credentials_for(None, sheets_emulator.url), api_url=sheets_emulator.url)

    spreadsheet_id = sheets.create_spreadsheet("Demo", ["Calendar"])

    assert [p["title"] for p in sheets.tabs(spreadsheet_id)] == ["Calendar"]
    assert "/token" not in [entry["path"] for entry in sheets_emulator.requests()]


def test_without_any_credentials_against_google_is_an_auth_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_adc(**_kw: Any) -> Any:
        raise google.auth.exceptions.DefaultCredentialsError("no ADC here")  # type: ignore[no-untyped-call]

    monkeypatch.setattr(google.auth, "default", no_adc)

    with pytest.raises(AuthError, match="GOOGLE_APPLICATION_CREDENTIALS"):
        credentials_for(None, None)
