"""`boardsheet serve` replicas as real subprocesses (`python -m app serve`), and the pair's run lease as
the store holds it (who runs the pair now); the store itself: bench/databases.py."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import sqlalchemy as sa

from app.store.tables import run_leases
from bench.service_process import free_port
from bench.soak.world import OPS, PAIR, World

KEY, SECRET = "emulator-key", "emulator-secret"
READY_TIMEOUT = 60.0
STOP_TIMEOUT = 20.0


def replica_env(world: World, database_url: str, public_url: str) -> dict[str, str]:
    """A replica's environment: the emulators, the shared store, its own public URL (webhooks, Drive)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOARDSHEET_", "TRELLO_", "GOOGLE_"))}
    return env | {
        "TRELLO_API_KEY": KEY,
        "TRELLO_TOKEN": OPS,
        "TRELLO_APP_SECRET": SECRET,
        "TRELLO_API_URL": world.trello_url,
        "GOOGLE_SHEETS_API_URL": world.sheets_url,
        "BOARDSHEET_PUBLIC_URL": public_url,
        "BOARDSHEET_DATABASE_URL": database_url,
        "PYTHONUNBUFFERED": "1",
    }


@dataclass
class Replica:
    """One `boardsheet serve` process on a fixed port (a restart comes back on the same URL)."""

    name: str
    world: World
    database_url: str
    log_path: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    starts: int = 0

    @property
    def url(self) -> str:
        """The replica's base URL, also its BOARDSHEET_PUBLIC_URL."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int | None:
        """The running process's id, or None."""
        return self.process.pid if self.process is not None and self.process.poll() is None else None

    def start(self) -> None:
        """Start the process and wait for /healthz; RuntimeError when it does not come up."""
        command = [
            sys.executable,
            "-m",
            "app",
            "serve",
            "--port",
            str(self.port),
            "-c",
            str(self.world.config),
        ]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command,
                env=replica_env(self.world, self.database_url, self.url),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.starts += 1
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"replica {self.name} exited with {self.process.returncode}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"replica {self.name} did not answer /healthz within {READY_TIMEOUT:g} s")

    def kill(self) -> None:
        """`kill -9`: no shutdown, no lease released, no channel stopped."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        """SIGTERM and wait (SIGKILL after STOP_TIMEOUT)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.kill()


def lease_holder(engine: sa.Engine) -> int | None:
    """The process id in the pair's run lease (holder `host:pid:boot:start:random`), or None."""
    with engine.connect() as connection:
        holder = connection.execute(sa.select(run_leases.c.holder).where(run_leases.c.pair == PAIR)).scalar()
    if not isinstance(holder, str):
        return None
    parts = holder.split(":")
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
