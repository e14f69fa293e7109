"""The discovery documents, served with the emulator as their root URL, for clients that build from them.

Google serves Sheets at `https://sheets.googleapis.com/$discovery/rest?version=v4` (googleapiclient's
V2_DISCOVERY_URI) and both APIs at `https://www.googleapis.com/discovery/v1/apis/{api}/{version}/rest`
(its DISCOVERY_URI); old clients (static_discovery=False, googleapiclient < 2) fetch them at start. Here
the documents are the ones google-api-python-client bundles, with `rootUrl` pointing at the emulator.
"""

from __future__ import annotations

import copy
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from connectors.emulators.sheets.schema import DRIVE, SHEETS, discovery

APIS = {("sheets", "v4"): SHEETS, ("drive", "v3"): DRIVE}
BY_VERSION = {"v4": SHEETS, "v3": DRIVE}  # one port serves both: the version tells them apart


def rooted(api: str, root: str) -> dict[str, Any]:
    """A bundled discovery document whose URLs point at `root` (ending with /)."""
    document = copy.deepcopy(discovery(api))
    document["rootUrl"] = root
    document["mtlsRootUrl"] = root
    document["baseUrl"] = root + str(document.get("servicePath", ""))
    return document


def _not_found() -> JSONResponse:
    body = {"error": {"code": 404, "message": "Requested entity was not found.", "status": "NOT_FOUND"}}
    return JSONResponse(body, status_code=404)


def discovery_router() -> APIRouter:
    """GET /$discovery/rest?version=v4|v3 and GET /discovery/v1/apis/{sheets|drive}/{version}/rest."""
    router = APIRouter()

    @router.get("/$discovery/rest")
    def by_version(request: Request, version: str = "v4") -> JSONResponse:
        api = BY_VERSION.get(version)
        return JSONResponse(rooted(api, str(request.base_url))) if api else _not_found()

    @router.get("/discovery/v1/apis/{name}/{version}/rest")
    def by_name(request: Request, name: str, version: str) -> JSONResponse:
        api = APIS.get((name, version))
        return JSONResponse(rooted(api, str(request.base_url))) if api else _not_found()

    return router
