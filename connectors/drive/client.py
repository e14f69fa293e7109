"""DriveConnector: the Drive v3 calls boardsheet makes (files.watch, channels.stop, files.get, permissions).

Built with googleapiclient's bundled discovery document (`static_discovery=True`) and the Sheets
credentials, widened to Drive's metadata scope. Drive calls have their own limiter and their own count
("drive"), so they never spend the Sheets quota (Drive's default: 12,000 queries per 60 s per user,
https://developers.google.com/drive/api/guides/limits).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import google.auth.credentials

from connectors.drive.permissions import DrivePermission, PermissionCalls
from connectors.errors import BadResponse
from connectors.limits import RateLimiter, shared_limiter
from connectors.metering import Observer
from connectors.sheets.auth import SCOPES as SHEETS_SCOPES
from connectors.sheets.auth import Credentials, identity
from connectors.sheets.transport import SheetsTransport

__all__ = ["SERVICE", "DriveConnector", "DrivePermission", "LastEdit", "WatchedChannel"]

SERVICE = "drive"
# files.watch, channels.stop and files.get accept the metadata-only scope; permissions' writes need the
# whole `drive` scope (drive.v3.json lists each method's scopes), asked for only when sharing is managed.
SCOPES = (*SHEETS_SCOPES, "https://www.googleapis.com/auth/drive.metadata.readonly")
SHARING_SCOPES = (*SHEETS_SCOPES, "https://www.googleapis.com/auth/drive")
DEFAULT_ENDPOINT = "https://www.googleapis.com"
DRIVE_PERIOD = 60.0
DRIVE_PER_PERIOD = 12_000
DRIVE_BURST = 20


@dataclass(frozen=True)
class WatchedChannel:
    """An open push channel: its id, Drive's resource id (needed to stop it) and expiry (Unix seconds)."""

    id: str
    resource_id: str
    expiration: float


@dataclass(frozen=True)
class LastEdit:
    """Who modified a file last, as Drive tells it (`email` may be empty: Drive hides some addresses)."""

    email: str
    name: str
    me: bool  # Drive's User.me: the modifier is the caller itself (our own write)
    modified_time: str  # RFC 3339, as Drive answers it
    version: str


def drive_limiter(user: str, api_url: str | None) -> RateLimiter:
    """The one Drive limiter of a user: keyed apart from Sheets even when both share an emulator URL."""
    endpoint = (api_url or DEFAULT_ENDPOINT) + "/drive/v3"
    return shared_limiter(user, endpoint, DRIVE_PER_PERIOD, DRIVE_PERIOD, burst=DRIVE_BURST)


def _with_drive_scope(credentials: Credentials, scopes: tuple[str, ...] = SCOPES) -> Credentials:
    """Service-account credentials re-scoped to Sheets + Drive metadata (or `scopes`); others as they are."""
    if isinstance(credentials, google.auth.credentials.Scoped):
        return cast(Credentials, credentials.with_scopes(list(scopes)))  # type: ignore[no-untyped-call]
    return credentials


class DriveConnector(PermissionCalls):
    """The Drive calls boardsheet needs; failures raise the connectors.errors tree, secret-free."""

    def __init__(
        self,
        credentials: Credentials,
        *,
        api_url: str | None = None,
        retry_seconds: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
        observer: Observer | None = None,
        sharing: bool = False,
    ) -> None:
        """`api_url` points at an emulator (paths under /drive/v3); `observer` hears every status;
        `sharing` asks for the `drive` scope that permissions' writes need."""
        credentials = _with_drive_scope(credentials, SHARING_SCOPES if sharing else SCOPES)
        self.api_url = api_url.rstrip("/") if api_url else None
        self._credentials = credentials
        self._built: Any = None  # at first use: see _service
        self._building = threading.Lock()
        self.identity = identity(credentials)
        self._transport = SheetsTransport(
            credentials,
            drive_limiter(self.identity, self.api_url),
            retry_seconds=retry_seconds,
            sleep=sleep,
            observer=observer,
            api_url=self.api_url,
            service=SERVICE,
            endpoint=DEFAULT_ENDPOINT,
        )

    def __repr__(self) -> str:
        return f"DriveConnector(api_url={self.api_url!r})"

    @property
    def _service(self) -> Any:
        """The discovery client, built at the first call (its imports are not a command's start-up cost)."""
        with self._building:
            if self._built is None:
                from googleapiclient.discovery import build

                # api_endpoint replaces the document's baseUrl whole (rootUrl + "drive/v3/"), path included.
                options = {"api_endpoint": self.api_url + "/drive/v3/"} if self.api_url else None
                self._built = build(
                    "drive",
                    "v3",
                    credentials=self._credentials,
                    static_discovery=True,
                    client_options=options,
                    cache_discovery=False,
                )
        return self._built

    @property
    def requests_made(self) -> int:
        """HTTP requests sent, retries included."""
        return self._transport.requests_made

    def watch(
        self, file_id: str, channel_id: str, address: str, token: str, *, expires_at: float
    ) -> WatchedChannel:
        """files.watch: open a web_hook channel on `file_id` delivering to `address` (https on Google).

        `expires_at` (Unix seconds) is a wish: Drive caps it (a day for files) and answers the real one.
        https://developers.google.com/drive/api/guides/push
        """
        body = {
            "id": channel_id,
            "type": "web_hook",
            "address": address,
            "token": token,
            "expiration": str(int(expires_at * 1000)),
        }
        what = f"a push channel on spreadsheet {file_id}"
        request = self._service.files().watch(fileId=file_id, body=body)
        answer = self._transport.execute(request, what, idempotent=False)
        try:
            return WatchedChannel(
                str(answer["id"]), str(answer["resourceId"]), int(answer["expiration"]) / 1000
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise BadResponse(f"Google Drive answered {what} without a channel", service=SERVICE) from exc

    def stop(self, channel_id: str, resource_id: str) -> None:
        """channels.stop; NotFound when Drive no longer knows the channel (expired or stopped)."""
        body = {"id": channel_id, "resourceId": resource_id}
        request = self._service.channels().stop(body=body)
        self._transport.execute(request, f"stopping push channel {channel_id}", empty=True)

    def last_edit(self, file_id: str) -> LastEdit:
        """files.get's lastModifyingUser (User resource: displayName, emailAddress, me), modifiedTime and
        version: one request however many revisions the file has (revisions.list pages through them all).
        https://developers.google.com/drive/api/reference/rest/v3/files, .../v3/User
        """
        fields = "version,modifiedTime,lastModifyingUser(displayName,emailAddress,me)"
        what = f"who last modified spreadsheet {file_id}"
        answer = self._transport.execute(self._service.files().get(fileId=file_id, fields=fields), what)
        user: Any = answer.get("lastModifyingUser") or {}
        if not isinstance(user, dict):
            raise BadResponse(f"Google Drive answered {what} in an unexpected shape", service=SERVICE)
        return LastEdit(
            email=str(user.get("emailAddress") or ""),
            name=str(user.get("displayName") or ""),
            me=user.get("me") is True,
            modified_time=str(answer.get("modifiedTime") or ""),
            version=str(answer.get("version") or ""),
        )
