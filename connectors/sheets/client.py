"""SheetsConnector: the Google Sheets calls boardsheet makes, over googleapiclient's discovery client."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from connectors.errors import BadResponse, TabNotFound
from connectors.metering import Observer
from connectors.sheets.auth import SERVICE, Credentials, identity, project_of, scoped
from connectors.sheets.limiters import project_limiters, sheets_limiters
from connectors.sheets.tab_snapshot import (
    FORMAT_READ_FIELDS,
    READ_FIELDS,
    TabSnapshot,
    quote_tab,
    with_others,
)
from connectors.sheets.transport import SheetsTransport


class SheetsConnector:
    """The Sheets calls boardsheet needs; every failure raises the connectors.errors tree, secret-free."""

    def __init__(
        self,
        credentials: Credentials,
        *,
        api_url: str | None = None,
        retry_seconds: float = 60.0,
        requests_per_minute: int = 60,
        project_requests_per_minute: int | None = None,
        sleep: Callable[[float], None] = time.sleep,
        observer: Observer | None = None,
    ) -> None:
        """`observer` is told the HTTP status of every response, retries included (0: no response).

        Reads and writes are limited apart, as Google meters them: each kind per user
        (`requests_per_minute` reads and as many writes) and, when `project_requests_per_minute` is given,
        per Google Cloud project too (limiters shared by every connector of the project in the process;
        Google's default is 300 of each: https://developers.google.com/workspace/sheets/api/limits).
        """
        credentials = scoped(credentials)
        self.api_url = api_url.rstrip("/") if api_url else None
        self._credentials = credentials
        self._service: Any = None  # built on first use: see _sheets
        self._building = threading.Lock()
        project = (
            None
            if project_requests_per_minute is None
            else project_limiters(project_of(credentials), self.api_url, project_requests_per_minute)
        )
        limiters = sheets_limiters(identity(credentials), self.api_url, requests_per_minute, project)
        self.identity = identity(credentials)
        self._transport = SheetsTransport(
            credentials,
            limiters,
            retry_seconds=retry_seconds,
            sleep=sleep,
            observer=observer,
            api_url=self.api_url,
        )

    def __repr__(self) -> str:
        return f"SheetsConnector(api_url={self.api_url!r})"

    @property
    def requests_made(self) -> int:
        """HTTP requests sent, retries included."""
        return self._transport.requests_made

    def read_tab(
        self,
        spreadsheet_id: str,
        tab: str,
        *,
        also: Sequence[str] = (),
        whole: Sequence[str] = (),
        formats: bool = False,
    ) -> TabSnapshot:
        """A tab's grid properties, cells and column metadata in one request; TabNotFound if it is missing.

        `also` names other tabs whose properties and first row come in the same request, `whole` tabs
        that come entirely (both in `others`); `formats` also reads rich text, cell formats, sizes,
        conditional formats and protected ranges. A missing other tab is simply absent from `others`,
        at the cost of more requests only then.
        """
        what = f"tab {tab!r} of spreadsheet {spreadsheet_id}"
        ranges = [quote_tab(tab), *(quote_tab(other) + "!1:1" for other in also), *map(quote_tab, whole)]
        request = self._sheets.get(
            spreadsheetId=spreadsheet_id,
            ranges=ranges,
            includeGridData=True,
            fields=FORMAT_READ_FIELDS if formats else READ_FIELDS,
        )
        try:
            answer = self._transport.execute(request, what, tab=tab)
        except TabNotFound:
            if not also and not whole:
                raise
            return self._read_present(spreadsheet_id, tab, also, whole, formats)
        sheets = answer.get("sheets")
        if (
            not isinstance(sheets, list)
            or len(sheets) != len(ranges)
            or not all(isinstance(sheet, dict) for sheet in sheets)
        ):
            raise BadResponse(
                f"Google Sheets answered {what} without exactly the asked tabs", service=SERVICE
            )
        try:
            snapshot = with_others(spreadsheet_id, tab, [*also, *whole], sheets)
        except (KeyError, TypeError, ValueError) as exc:
            raise BadResponse(
                f"Google Sheets answered {what} in an unexpected shape", service=SERVICE
            ) from exc
        title = (answer.get("properties") or {}).get("title")
        url = answer.get("spreadsheetUrl")
        return replace(
            snapshot,
            spreadsheet_title=title if isinstance(title, str) else "",
            spreadsheet_url=url if isinstance(url, str) else "",
        )

    def _read_present(
        self, spreadsheet_id: str, tab: str, also: Sequence[str], whole: Sequence[str], formats: bool
    ) -> TabSnapshot:
        """read_tab again once one of the asked tabs proved missing, asking only for tabs that exist."""
        if len(also) + len(whole) == 1:
            # One other tab: the main tab alone tells which is missing (TabNotFound if it is that one).
            return self.read_tab(spreadsheet_id, tab, formats=formats)
        titles = {str(properties.get("title", "")).casefold() for properties in self.tabs(spreadsheet_id)}
        if tab.casefold() not in titles:
            return self.read_tab(spreadsheet_id, tab, formats=formats)  # raises TabNotFound
        present = [name for name in also if name.casefold() in titles]
        complete = [name for name in whole if name.casefold() in titles]
        return self.read_tab(spreadsheet_id, tab, also=present, whole=complete, formats=formats)

    def tabs(self, spreadsheet_id: str) -> list[dict[str, Any]]:
        """The properties of every tab (sheetId, title, index, gridProperties, ...), in one request."""
        what = f"the tabs of spreadsheet {spreadsheet_id}"
        request = self._sheets.get(spreadsheetId=spreadsheet_id, fields="sheets.properties")
        sheets = self._transport.execute(request, what).get("sheets", [])
        if not isinstance(sheets, list):
            raise BadResponse(f"Google Sheets answered {what} in an unexpected shape", service=SERVICE)
        return [sheet.get("properties", {}) for sheet in sheets if isinstance(sheet, dict)]

    def protected_ranges(self, spreadsheet_id: str) -> dict[int, list[dict[str, Any]]]:
        """Every tab's protected ranges by sheetId, in one request (no cell data)."""
        what = f"the protected ranges of spreadsheet {spreadsheet_id}"
        fields = "sheets(properties.sheetId,protectedRanges)"
        request = self._sheets.get(spreadsheetId=spreadsheet_id, fields=fields)
        sheets = self._transport.execute(request, what).get("sheets", [])
        try:
            return {
                int(sheet["properties"].get("sheetId", 0)): list(sheet.get("protectedRanges") or [])
                for sheet in sheets
            }
        except (KeyError, TypeError, ValueError) as exc:
            raise BadResponse(
                f"Google Sheets answered {what} in an unexpected shape", service=SERVICE
            ) from exc

    def batch_update(self, spreadsheet_id: str, requests: list[dict[str, Any]]) -> dict[str, Any]:
        """Apply `requests` atomically in exactly one spreadsheets.batchUpdate; none at all when empty."""
        if not requests:
            return {"spreadsheetId": spreadsheet_id, "replies": []}
        what = f"a batch update of {len(requests)} request(s) on spreadsheet {spreadsheet_id}"
        request = self._sheets.batchUpdate(spreadsheetId=spreadsheet_id, body={"requests": requests})
        return self._transport.execute(request, what, idempotent=False)

    def create_spreadsheet(self, title: str, tabs: list[str]) -> str:
        """A new spreadsheet with these tabs (Google's default tab when none); returns its id."""
        body: dict[str, Any] = {"properties": {"title": title}}
        if tabs:
            body["sheets"] = [{"properties": {"title": name}} for name in tabs]
        what = f"a new spreadsheet {title!r}"
        request = self._sheets.create(body=body, fields="spreadsheetId")
        spreadsheet_id = self._transport.execute(request, what, idempotent=False).get("spreadsheetId")
        if not isinstance(spreadsheet_id, str) or not spreadsheet_id:
            raise BadResponse(f"Google Sheets answered {what} without an id", service=SERVICE)
        return spreadsheet_id

    def add_tab(self, spreadsheet_id: str, title: str) -> int:
        """A new tab at the end of the spreadsheet; returns its sheetId."""
        answer = self.batch_update(spreadsheet_id, [{"addSheet": {"properties": {"title": title}}}])
        try:
            sheet_id = answer["replies"][0]["addSheet"]["properties"]["sheetId"]
        except (KeyError, IndexError, TypeError) as exc:
            raise BadResponse(
                f"Google Sheets answered a new tab {title!r} without its sheetId", service=SERVICE
            ) from exc
        return int(sheet_id)

    @property
    def _sheets(self) -> Any:
        """The spreadsheets resource (building request objects is thread-safe; sending uses our transport).

        Built at first use from the bundled discovery document (no request): ~0.2 s of imports a sync
        pays after its first request to Trello, a command never reaching Sheets never (issue 13)."""
        with self._building:
            if self._service is None:
                from googleapiclient.discovery import build

                options = {"api_endpoint": self.api_url + "/"} if self.api_url else None
                self._service = build(
                    "sheets",
                    "v4",
                    credentials=self._credentials,
                    static_discovery=True,
                    client_options=options,
                    cache_discovery=False,
                )
        return self._service.spreadsheets()
