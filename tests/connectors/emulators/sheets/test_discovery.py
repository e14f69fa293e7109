"""Old clients build their API from the discovery document at start; the emulator serves it, rooted at itself.

Google's URLs: `https://sheets.googleapis.com/$discovery/rest?version=v4` (googleapiclient's
V2_DISCOVERY_URI) and `https://www.googleapis.com/discovery/v1/apis/{api}/{version}/rest` (DISCOVERY_URI).
"""

from __future__ import annotations

import google.oauth2.credentials
import google_auth_httplib2
import pytest
import requests
from googleapiclient import discovery

from tests.support.sheets_emulator import TOKEN, SheetsEmulator

pytestmark = pytest.mark.http  # the emulator over loopback


def test_the_document_points_at_the_emulator(emulator: SheetsEmulator) -> None:
    document = requests.get(f"{emulator.url}/$discovery/rest", params={"version": "v4"}, timeout=10).json()
    assert (document["name"], document["version"]) == ("sheets", "v4")
    assert document["rootUrl"] == emulator.url + "/"
    assert document["baseUrl"] == emulator.url + "/"  # servicePath is empty for Sheets
    drive = requests.get(f"{emulator.url}/discovery/v1/apis/drive/v3/rest", timeout=10).json()
    assert drive["baseUrl"] == emulator.url + "/drive/v3/"
    missing = requests.get(f"{emulator.url}/$discovery/rest", params={"version": "v9"}, timeout=10)
    assert missing.status_code == 404


def test_a_client_built_from_it_talks_to_the_emulator(emulator: SheetsEmulator) -> None:
    credentials = google.oauth2.credentials.Credentials(token=TOKEN)  # type: ignore[no-untyped-call]
    http = google_auth_httplib2.AuthorizedHttp(credentials)
    try:
        _build_and_call(emulator, http)
    finally:
        http.http.close()  # httplib2 keeps its connections open otherwise


def _build_and_call(emulator: SheetsEmulator, http: google_auth_httplib2.AuthorizedHttp) -> None:
    sheets = discovery.build(
        "sheets",
        "v4",
        http=http,
        discoveryServiceUrl=f"{emulator.url}/$discovery/rest?version={{apiVersion}}",
        static_discovery=False,
        cache_discovery=False,
    )
    created = sheets.spreadsheets().create(body={"properties": {"title": "From discovery"}}).execute()
    assert created["properties"]["title"] == "From discovery"
    drive = discovery.build(
        "drive",
        "v3",
        http=http,
        discoveryServiceUrl=f"{emulator.url}/discovery/v1/apis/{{api}}/{{apiVersion}}/rest",
        static_discovery=False,
        cache_discovery=False,
    )
    found = drive.files().list(q="name = 'From discovery'").execute()
    assert [f["id"] for f in found["files"]] == [created["spreadsheetId"]]
