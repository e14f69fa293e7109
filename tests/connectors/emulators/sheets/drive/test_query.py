"""Drive's `q` language (https://developers.google.com/drive/api/guides/ref-search-terms), pure."""

from __future__ import annotations

from typing import Any

import pytest

from connectors.emulators.sheets.drive.query import parse
from connectors.emulators.sheets.errors import ApiError

SHEET = "application/vnd.google-apps.spreadsheet"
FILES: list[dict[str, Any]] = [
    {
        "name": "Q3 editorial plan",
        "mimeType": SHEET,
        "owners": ["a@x.org"],
        "writers": ["a@x.org", "b@x.org"],
        "readers": ["a@x.org", "b@x.org"],
        "parents": ["root"],
        "modifiedTime": "2024-05-01T10:00:00.000Z",
    },
    {
        "name": "HelloWorld",
        "mimeType": SHEET,
        "owners": ["b@x.org"],
        "writers": ["b@x.org"],
        "readers": ["b@x.org"],
        "parents": ["folder1"],
        "modifiedTime": "2024-06-01T10:00:00.000Z",
        "sharedWithMe": True,
    },
]


def names(q: str) -> list[str]:
    matches = parse(q)
    return [f["name"] for f in FILES if matches(f)]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("", ["Q3 editorial plan", "HelloWorld"]),
        ("name = 'HelloWorld'", ["HelloWorld"]),
        (
            'mimeType="application/vnd.google-apps.spreadsheet" and name = "Q3 editorial plan"',
            ["Q3 editorial plan"],
        ),
        ("name contains 'Hello'", ["HelloWorld"]),
        ("name contains 'World'", []),  # prefix matching only, as documented
        ("name contains 'edit'", ["Q3 editorial plan"]),
        ("not name = 'HelloWorld'", ["Q3 editorial plan"]),
        ("'b@x.org' in writers and not 'b@x.org' in owners", ["Q3 editorial plan"]),
        ("'folder1' in parents or name = 'nope'", ["HelloWorld"]),
        ("modifiedTime > '2024-05-15T00:00:00'", ["HelloWorld"]),
        ("trashed = false and (sharedWithMe or name = 'x')", ["HelloWorld"]),
        ("name = 'it\\'s'", []),
    ],
)
def test_queries(q: str, expected: list[str]) -> None:
    assert names(q) == expected


@pytest.mark.parametrize(
    "q",
    [
        "name",
        "name = HelloWorld",
        "title = 'x'",
        "name < 'x'",
        "(name = 'x'",
        "name = 'x' and",
        "'x' in nowhere",
    ],
)
def test_invalid_queries_are_drives_400(q: str) -> None:
    with pytest.raises(ApiError) as caught:
        parse(q)
    assert caught.value.code == 400
    assert caught.value.body()["error"]["errors"][0] == {
        "message": "Invalid Value",
        "domain": "global",
        "reason": "invalid",
        "location": "q",
        "locationType": "parameter",
    }
