"""The Sheets emulator's HTTP surface: auth, the JWT token grant, quotas, faults, the log and the view."""

from __future__ import annotations

import google.auth.transport.requests
import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from google.oauth2 import service_account

from connectors.emulators.common import Faults
from tests.support.sheets_emulator import SheetsEmulator, running_sheets

pytestmark = pytest.mark.http  # the emulator over loopback


def test_requests_without_a_bearer_token_get_googles_401(emulator: SheetsEmulator) -> None:
    for headers in ({}, {"Authorization": "Basic abc"}, {"Authorization": "Bearer "}):
        response = requests.get(f"{emulator.url}/v4/spreadsheets/x", headers=headers, timeout=10)
        assert response.status_code == 401
        error = response.json()["error"]
        assert (error["code"], error["status"]) == (401, "UNAUTHENTICATED")
        assert error["message"].startswith("Request is missing required authentication credential.")


def test_service_account_jwt_grant(emulator: SheetsEmulator) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    info = {
        "type": "service_account",
        "client_email": "robot@emulator.iam.gserviceaccount.com",
        "private_key": pem.decode(),
        "private_key_id": "k",
        "token_uri": f"{emulator.url}/token",
    }
    credentials = service_account.Credentials.from_service_account_info(
        info, scopes=["https://www.googleapis.com/auth/spreadsheets"]
    )
    with requests.Session() as session:
        credentials.refresh(google.auth.transport.requests.Request(session))
    assert credentials.token.startswith("ya29.emulator-")
    assert credentials.expiry is not None
    created = requests.post(
        f"{emulator.url}/v4/spreadsheets",
        json={},
        headers={"Authorization": f"Bearer {credentials.token}"},
        timeout=10,
    )
    assert created.status_code == 200


@pytest.mark.parametrize(
    ("form", "error"),
    [
        ({"grant_type": "client_credentials", "assertion": "a.b.c"}, "unsupported_grant_type"),
        ({"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion": "nope"}, "invalid_grant"),
    ],
)
def test_token_grant_refuses_bad_requests(emulator: SheetsEmulator, form: dict[str, str], error: str) -> None:
    response = requests.post(f"{emulator.url}/token", data=form, timeout=10)
    assert (response.status_code, response.json()["error"]) == (400, error)


def test_create_and_get_have_googles_shape(emulator: SheetsEmulator) -> None:
    created = emulator.call(
        "POST",
        "/v4/spreadsheets",
        {"properties": {"title": "Plan"}, "sheets": [{"properties": {"title": "Cal"}}]},
    ).json()
    assert set(created) == {"spreadsheetId", "properties", "sheets", "spreadsheetUrl"}
    assert created["sheets"] == [
        {
            "properties": {
                "sheetId": 0,
                "title": "Cal",
                "index": 0,
                "sheetType": "GRID",
                "gridProperties": {"rowCount": 1000, "columnCount": 26},
            }
        }
    ]
    assert created["properties"]["locale"] == "en_US" and created["properties"]["timeZone"] == "Etc/GMT"
    assert emulator.call("GET", f"/v4/spreadsheets/{created['spreadsheetId']}").json() == created
    bad = emulator.call("POST", "/v4/spreadsheets", {"properties": {"titel": "x"}})
    expected = "Unknown name \"titel\" at 'spreadsheet.properties': Cannot find field."
    assert bad.json()["error"]["message"] == f"Invalid JSON payload received. {expected}"


def test_unknown_spreadsheet_and_path(emulator: SheetsEmulator) -> None:
    assert emulator.call("GET", "/v4/spreadsheets/missing").json()["error"]["status"] == "NOT_FOUND"
    assert emulator.call("GET", "/v4/spreadsheets/missing:frobnicate").status_code == 404
    assert emulator.call("POST", "/v4/spreadsheets/missing:batchUpdate", {"requests": []}).status_code == 404


def test_a_path_no_api_serves_answers_googles_html_404_never_fastapis_detail(
    emulator: SheetsEmulator,
) -> None:
    book = emulator.create()
    for method, path in [
        ("GET", "/v4/nothing"),
        ("GET", "/v5/spreadsheets"),
        ("GET", "/drive/v3/about"),
        ("DELETE", f"/v4/spreadsheets/{book}"),  # a method the path does not take: 404 too, not 405
        ("PATCH", "/drive/v3/files"),
        ("GET", "/_emulator/nothing"),
    ]:
        answer = emulator.call(method, path)
        assert answer.status_code == 404, (method, path)
        assert answer.headers["content-type"].startswith("text/html"), (method, path)
        assert f"The requested URL <code>{path}</code> was not found on this server." in answer.text
        assert "detail" not in answer.text
    escaped = emulator.call("GET", "/v4/<script>")
    assert "<script>" not in escaped.text and "&lt;script&gt;" in escaped.text


def test_a_settings_body_that_is_not_json_is_refused_in_plain_words(emulator: SheetsEmulator) -> None:
    answer = requests.put(f"{emulator.url}/_emulator/limits", data="garbage", timeout=10)
    assert answer.status_code == 400
    assert answer.json() == {"error": "the body is not JSON: send a JSON object of settings"}


def test_quota_is_per_user_and_per_kind() -> None:
    with running_sheets(quota_per_minute=3) as em:
        book = em.create()  # one write for test-token
        for _ in range(3):
            assert em.call("GET", f"/v4/spreadsheets/{book}").status_code == 200
        limited = em.call("GET", f"/v4/spreadsheets/{book}")
        assert limited.status_code == 429
        assert limited.json()["error"]["status"] == "RESOURCE_EXHAUSTED"
        assert "Read requests per minute per user" in limited.json()["error"]["message"]
        assert limited.json()["error"]["details"][0]["reason"] == "RATE_LIMIT_EXCEEDED"
        assert em.call("POST", f"/v4/spreadsheets/{book}:batchUpdate", {"requests": []}).status_code == 200
        with em.session(token="someone-else") as other:
            assert other.get(f"{em.url}/v4/spreadsheets/{book}", timeout=10).status_code == 200


def test_faults_answer_with_googles_bodies_and_are_logged() -> None:
    with running_sheets(faults=Faults(error_rate=1.0)) as em:
        response = em.call("GET", "/v4/spreadsheets/x")
        assert response.status_code == 503
        assert response.json()["error"]["status"] == "UNAVAILABLE"
        log = requests.get(f"{em.url}/_emulator/requests", timeout=10).json()
        assert [(e["method"], e["path"], e["status"]) for e in log] == [("GET", "/v4/spreadsheets/x", 503)]
    with running_sheets(faults=Faults(rate_limit_rate=1.0)) as em:
        assert em.call("GET", "/v4/spreadsheets/x").json()["error"]["status"] == "RESOURCE_EXHAUSTED"


def test_view_shows_what_a_stakeholder_sees(emulator: SheetsEmulator) -> None:
    book = emulator.create("<Plan & co>", tabs=["Cal"])
    emulator.call(
        "PUT",
        f"/v4/spreadsheets/{book}/values/Cal!A1",
        {"values": [["Title", "Secret", "Due"], ["<b>x</b>", "hide me", "2024-03-01"]]},
        valueInputOption="USER_ENTERED",
    )
    link = {"userEnteredValue": {"stringValue": "site"}, "hyperlink": "https://example.com/?a=1&b=2"}
    formatted_link = {
        "userEnteredValue": {"stringValue": "card"},
        "userEnteredFormat": {"textFormat": {"link": {"uri": "https://trello.com/c/abc"}}},
    }
    boxes = [
        {"userEnteredValue": {"boolValue": flag}, "dataValidation": {"condition": {"type": "BOOLEAN"}}}
        for flag in (True, False)
    ]
    emulator.batch(
        book,
        {
            "updateSheetProperties": {
                "properties": {"sheetId": 0, "gridProperties": {"frozenRowCount": 1}},
                "fields": "gridProperties.frozenRowCount",
            }
        },
        {
            "updateDimensionProperties": {
                "range": {"sheetId": 0, "dimension": "COLUMNS", "startIndex": 1, "endIndex": 2},
                "properties": {"hiddenByUser": True},
                "fields": "hiddenByUser",
            }
        },
        {
            "repeatCell": {
                "range": {"sheetId": 0, "startRowIndex": 1, "endRowIndex": 2, "endColumnIndex": 1},
                "cell": {"userEnteredFormat": {"backgroundColor": {"red": 1, "green": 0.5}}},
                "fields": "userEnteredFormat.backgroundColor",
            }
        },
        {
            "updateCells": {
                "start": {"sheetId": 0, "rowIndex": 2},
                "rows": [{"values": [link]}],
                "fields": "userEnteredValue,hyperlink",
            }
        },
        {
            "updateCells": {
                "start": {"sheetId": 0, "rowIndex": 3},
                "rows": [{"values": [formatted_link, {}, *boxes]}],  # column B is hidden
                "fields": "userEnteredValue,userEnteredFormat.textFormat.link,dataValidation",
            }
        },
    )
    page = requests.get(f"{emulator.url}/view/{book}", timeout=10)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert "&lt;Plan &amp; co&gt;" in html and "<Plan" not in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>x</b>" not in html
    assert "hide me" not in html and "Secret" not in html
    assert 'class="frozen"' in html and "font-weight:bold" in html
    assert "background:rgb(255,128,0)" in html
    assert '<a href="https://example.com/?a=1&amp;b=2"' in html
    assert '<a href="https://trello.com/c/abc"' in html  # a link in the text format is clickable too
    assert "☑" in html and "☐" in html and "TRUE" not in html  # checkboxes look like checkboxes
    assert "2024-03-01" in html
    assert requests.get(f"{emulator.url}/view/nope", timeout=10).status_code == 404


def test_fields_mask_on_a_plain_get(emulator: SheetsEmulator) -> None:
    book = emulator.create("Mask", tabs=["A", "B"])
    got = emulator.call(
        "GET", f"/v4/spreadsheets/{book}", fields="spreadsheetId,sheets.properties(title,index)"
    ).json()
    assert got == {
        "spreadsheetId": book,
        "sheets": [{"properties": {"title": "A", "index": 0}}, {"properties": {"title": "B", "index": 1}}],
    }
