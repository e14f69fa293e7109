"""Google credentials for the Sheets connector: service-account file, ADC, or the emulator's token."""

from __future__ import annotations

import hashlib
import os
from typing import cast

import google.auth
import google.auth.credentials
import google.auth.exceptions
import google.oauth2.credentials
from google.oauth2 import service_account

from connectors.errors import AuthError

SERVICE = "sheets"
SCOPES = ("https://www.googleapis.com/auth/spreadsheets",)
CREDENTIALS_ENV = "GOOGLE_APPLICATION_CREDENTIALS"
# The emulator accepts any bearer token; a fixed one lets a demo run without any Google setup.
EMULATOR_TOKEN = "emulator"  # noqa: S105 - not a secret, the emulator's documented placeholder

Credentials = google.auth.credentials.Credentials


def credentials_for(key_file: str | os.PathLike[str] | None, api_url: str | None = None) -> Credentials:
    """The service-account `key_file` when given; else the emulator token if `api_url`; else ADC.

    The caller reads GOOGLE_APPLICATION_CREDENTIALS (boardsheet's settings do); ADC is Google's own lookup.
    Raises AuthError when none is usable, naming the file, never its content.
    """
    if key_file:
        return service_account_credentials(os.fspath(key_file))
    if api_url:
        # Pointed at an emulator without a key file: never hand a developer's ambient Google identity to it.
        return emulator_credentials()
    try:
        credentials, _project = google.auth.default(scopes=list(SCOPES))
    except google.auth.exceptions.DefaultCredentialsError as exc:
        raise AuthError(
            f"no Google credentials found: set {CREDENTIALS_ENV} to a service-account JSON file "
            "or configure Application Default Credentials",
            service=SERVICE,
        ) from exc
    return credentials


def service_account_credentials(path: str) -> Credentials:
    """Service-account credentials with the spreadsheets scope, read from a JSON key file."""
    try:
        loaded = service_account.Credentials.from_service_account_file(  # type: ignore[no-untyped-call]
            path, scopes=list(SCOPES)
        )
        return cast(Credentials, loaded)
    except OSError:
        # The path is configuration, not a secret; the file's content never reaches the message.
        raise AuthError(f"cannot read the service-account file {path!r}", service=SERVICE) from None
    except (ValueError, KeyError, google.auth.exceptions.GoogleAuthError) as exc:
        # `from None`: the parser's message could quote the key file; keep only its type.
        raise AuthError(
            f"{path!r} is not a valid service-account key file ({type(exc).__name__})", service=SERVICE
        ) from None


def emulator_credentials(token: str = EMULATOR_TOKEN) -> Credentials:
    """A bearer token the Sheets emulator accepts as a privileged test user (never sent to Google)."""
    return google.oauth2.credentials.Credentials(token=token)  # type: ignore[no-untyped-call]


def scoped(credentials: Credentials) -> Credentials:
    """`credentials` with the spreadsheets scope when they need one."""
    with_scopes = google.auth.credentials.with_scopes_if_required(  # type: ignore[no-untyped-call]
        credentials, list(SCOPES)
    )
    return cast(Credentials, with_scopes)


def identity(credentials: Credentials) -> str:
    """A secret-free name of who the credentials act as (Google meters quota per user).

    A service account is its e-mail; a plain bearer token (the emulators' users) a digest of the token,
    so two users never share one limiter and no token is ever kept in the clear.
    """
    email = getattr(credentials, "service_account_email", None)
    if isinstance(email, str) and email:
        return email
    token = getattr(credentials, "token", None)
    if isinstance(token, str) and token:
        return "token:" + hashlib.sha256(token.encode()).hexdigest()[:16]
    return type(credentials).__qualname__


def project_of(credentials: Credentials) -> str:
    """The Google Cloud project the credentials belong to (a key file's project_id), else "default"."""
    project = getattr(credentials, "project_id", None) or getattr(credentials, "quota_project_id", None)
    return project if isinstance(project, str) and project else "default"
