"""The 200-pair world: many boards and spreadsheets, two service accounts, `boardsheet serve` replicas.

Each pair has its own board (the synthetic one, `cards` cards) and its own spreadsheet, shared with both
service accounts (the service spreads pairs over them: app.config.accounts). The Sheets quota is scaled by
`scale` on both sides, Google's (the emulator's per-user quota, per minute and kind) and the service's
(BOARDSHEET_SHEETS_USER_PER_MINUTE, BOARDSHEET_SHEETS_PROJECT_PER_MINUTE), and each pair's reconcile_every
divided by it: the same load against the same quota, `scale` times faster (docs/benchmarks.md). The
replicas share one store: a fresh schema on a PostgreSQL server when one is given (bench/databases.py),
else a SQLite file.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from app.config.accounts import assign_accounts
from app.config.models import parse_config
from bench.databases import database
from bench.harness import HEADERS, TAB
from bench.service_process import STOP_TIMEOUT, _env, free_port
from connectors.emulators.common import ServerThread
from connectors.emulators.sheets.app import create_app as sheets_app
from connectors.emulators.synthetic import board_spec
from connectors.emulators.trello.app import create_app as trello_app
from connectors.emulators.trello.app import seed_from_dict
from connectors.sheets.auth import emulator_credentials
from connectors.sheets.client import SheetsConnector

GOOGLE_PER_USER = (
    60  # Sheets requests a minute per user and kind (https://developers.google.com/sheets/api/limits)
)
GOOGLE_PER_PROJECT = 300
DEFAULT_RECONCILE = 300.0  # reconcile_every's default, seconds
ACCOUNTS = {
    "alpha": "alpha@bench-project.iam.gserviceaccount.com",
    "beta": "beta@bench-project.iam.gserviceaccount.com",
}
COLUMNS = ("due", "name", "list", "labels", "url")


@dataclass
class ScaleWorld:
    """What a run of the scale bench needs: urls, each pair's board ids and spreadsheet, its account."""

    directory: Path
    cards: int
    trello_url: str
    sheets_url: str
    sheets_app: object
    pairs: list[str]
    ids: dict[str, dict[str, str]]  # pair -> seeded names -> ids
    spreadsheets: dict[str, str]  # pair -> spreadsheet id
    account_of: dict[str, str]  # pair -> account name
    config: Path
    accounts_env: str
    scale: float
    database_url: str  # the replicas' shared store


def _key_files(directory: Path, token_uri: str) -> str:
    """Both accounts' key files (one fresh RSA key) in `directory`; BOARDSHEET_GOOGLE_ACCOUNTS's value."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    entries = []
    for name, email in ACCOUNTS.items():
        info = {
            "type": "service_account",
            "project_id": "bench-project",
            "private_key_id": "0" * 16,
            "private_key": pem,
            "client_email": email,
            "client_id": "1" * 21,
            "token_uri": token_uri,
        }
        path = directory / f"{name}.json"
        path.write_text(json.dumps(info))
        entries.append(f"{name}={path}")
    return ",".join(entries)


def _yaml(boards: dict[str, str], spreadsheets: dict[str, str], every: float) -> str:
    """The pairs' YAML: one board to one spreadsheet's tab each, reconciled every `every` seconds."""
    columns = "".join(f"\n      - {{header: {h}, field: {f}}}" for h, f in zip(HEADERS, COLUMNS, strict=True))
    return "pairs:\n" + "".join(
        f"  - name: {pair}\n    trello: {{board: {boards[pair]}}}\n"
        f"    sheet: {{spreadsheet: {spreadsheets[pair]}, tab: {TAB}}}\n"
        f"    timezone: Europe/Paris\n    reconcile_every: {every:g}s\n    columns:{columns}\n"
        for pair in boards
    )


@contextmanager
def scale_world(
    directory: Path, pairs: int, cards: int, scale: float, server: str | None
) -> Iterator[ScaleWorld]:
    """Emulators (quota x `scale`) seeded with `pairs` boards of `cards` cards and their spreadsheets; the
    store on PostgreSQL `server` (a schema of its own), else SQLite."""
    t_app = trello_app(rate_limits=False)
    # No quota while the bench seeds (one spreadsheet a pair, made by the bench's own user: past 300
    # pairs that alone met the scaled quota); the service's accounts meet it from the first run on.
    s_app = sheets_app(quota_per_minute=None)
    directory.mkdir(parents=True, exist_ok=True)
    with (
        ServerThread(t_app) as t_server,
        ServerThread(s_app) as s_server,
        database(directory, server, "scale") as database_url,
    ):
        names = [f"pair-{n:03d}" for n in range(pairs)]
        creator = SheetsConnector(
            emulator_credentials("bench"), api_url=s_server.url, requests_per_minute=100_000
        )
        ids, spreadsheets = {}, {}
        with httpx.Client(base_url=s_server.url, headers={"Authorization": "Bearer bench"}) as drive:
            for pair in names:
                spec = board_spec(cards)
                spec["boards"][0]["name"] = f"Board {pair}"
                ids[pair] = seed_from_dict(t_app.state.ctx, spec)
                spreadsheets[pair] = creator.create_spreadsheet(f"Calendar {pair}", [TAB])
                for email in ACCOUNTS.values():
                    drive.post(
                        f"/drive/v3/files/{spreadsheets[pair]}/permissions",
                        params={"sendNotificationEmail": "false"},
                        json={"type": "user", "role": "writer", "emailAddress": email},
                    ).raise_for_status()
        s_app.state.quota.per_minute = round(GOOGLE_PER_USER * scale)
        boards = {pair: ids[pair][f"Board {pair}"] for pair in names}
        text = _yaml(boards, spreadsheets, DEFAULT_RECONCILE / scale)
        config = directory / "boardsheet.yaml"
        config.write_text(text)
        account_of = dict(assign_accounts(parse_config(text, env={}).pairs, list(ACCOUNTS)))
        accounts_env = _key_files(directory, f"{s_server.url}/token")
        yield ScaleWorld(
            directory,
            cards,
            t_server.url,
            s_server.url,
            s_app,
            names,
            ids,
            spreadsheets,
            account_of,
            config,
            accounts_env,
            scale,
            database_url,
        )


@contextmanager
def replicas(world: ScaleWorld, count: int) -> Iterator[list[str]]:
    """`count` `boardsheet serve` processes on the world's store; their urls (Trello calls the first)."""
    ports = [free_port() for _ in range(count)]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    env = _env(world.directory, world.trello_url, world.sheets_url, urls[0]) | {
        "BOARDSHEET_DATABASE_URL": world.database_url,
        "BOARDSHEET_GOOGLE_ACCOUNTS": world.accounts_env,
        "BOARDSHEET_SHEETS_USER_PER_MINUTE": str(round(GOOGLE_PER_USER * world.scale)),
        "BOARDSHEET_SHEETS_PROJECT_PER_MINUTE": str(round(GOOGLE_PER_PROJECT * world.scale)),
    }
    with ExitStack() as stack:
        for port in ports:
            child = subprocess.Popen(
                [sys.executable, "-m", "app", "serve", "--port", str(port), "-c", str(world.config)],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            stack.callback(_stop, child)
        yield urls


def _stop(child: subprocess.Popen[bytes]) -> None:
    """Terminate a replica, killing it when it does not stop in time."""
    child.terminate()
    try:
        child.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
