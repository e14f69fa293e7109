"""A fresh virtual environment holding boardsheet installed as the Dockerfile installs it, and its commands.

Everything runs with the venv's own interpreter, from a temp directory, in a scrubbed environment: the
source tree and the developer venv (with its dev extras) are out of reach.
"""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from tests.support import dockerfile_build

INSTALL_SECONDS = 900.0  # resolving and downloading every runtime dependency from the index
COMMAND_SECONDS = 180.0
# How this machine reaches the package index (the Docker build would get these as build arguments).
INDEX_SETTINGS = re.compile(r"^(PIP_\w+|(HTTPS?|NO|ALL)_PROXY|SSL_CERT_\w+|REQUESTS_CA_BUNDLE)$", re.I)


@dataclass
class Venv:
    """The installed venv, a working directory outside the source tree and a home of its own."""

    root: Path
    workdir: Path
    home: Path

    @property
    def python(self) -> str:
        """The venv's interpreter."""
        return str(self.root / "bin" / "python")

    @property
    def boardsheet(self) -> str:
        """The installed console script."""
        return str(self.root / "bin" / "boardsheet")

    def env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        """A scrubbed environment: no PYTHONPATH, no developer settings, the venv first on PATH."""
        base = {
            "PATH": f"{self.root / 'bin'}:/usr/bin:/bin",
            "HOME": str(self.home),
            "LANG": "C.UTF-8",
            "PYTHONUNBUFFERED": "1",
            "COLUMNS": "160",
        }
        return base | (extra or {})

    def run(
        self, *args: str, extra: dict[str, str] | None = None, timeout: float = COMMAND_SECONDS
    ) -> subprocess.CompletedProcess[str]:
        """Run `args` (a path or a venv command name first) to completion; output captured."""
        return subprocess.run(
            list(args),
            cwd=self.workdir,
            env=self.env(extra),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def start(self, *args: str, extra: dict[str, str] | None = None) -> Running:
        """Start `args` in the background, reading its output line by line."""
        return Running([*args], cwd=self.workdir, env=self.env(extra))


def install(tmp: Path) -> Venv:
    """Rebuild the Dockerfile's build stage in `tmp`: copy its sources, make a venv, run its pip install."""
    build = dockerfile_build.stage("build")
    context = dockerfile_build.build_context(build, tmp / "context")
    venv = Venv(root=tmp / "venv", workdir=tmp / "work", home=tmp / "home")
    venv.workdir.mkdir()
    venv.home.mkdir()
    index = {k: v for k, v in os.environ.items() if INDEX_SETTINGS.match(k)}
    docker_env = {k: v for k, v in dockerfile_build.env(build).items() if k != "PATH"}
    made = subprocess.run(
        [sys.executable, "-m", "venv", str(venv.root)],
        cwd=venv.workdir,
        env=venv.env(),
        capture_output=True,
        text=True,
        timeout=COMMAND_SECONDS,
        check=False,
    )
    assert made.returncode == 0, made.stdout + made.stderr
    installed = subprocess.run(
        [venv.python, "-m", "pip", *dockerfile_build.pip_install(build)],
        cwd=context,
        env=venv.env(index | docker_env),
        capture_output=True,
        text=True,
        timeout=INSTALL_SECONDS,
        check=False,
    )
    assert installed.returncode == 0, installed.stdout[-4000:] + installed.stderr[-4000:]
    return venv


class Running:
    """A background command; `lines` collects its stdout, stderr goes to a file kept for failures."""

    def __init__(self, args: list[str], cwd: Path, env: dict[str, str]) -> None:
        # stderr to a file: a chatty child must never block on a full pipe nobody reads.
        self._stderr = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 - closed in kill()
        self.popen = subprocess.Popen(
            args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=self._stderr, text=True
        )
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.popen.stdout is not None
        for line in self.popen.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def wait_for(self, pattern: str, timeout: float = COMMAND_SECONDS) -> re.Match[str]:
        """The first output line matching `pattern`, waiting for it if needed."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while True:
            for line in self.lines:
                if found := regex.search(line):
                    return found
            try:
                line_or_end = self._queue.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                raise AssertionError(f"no line matching {pattern!r} in time: {self.output()}") from None
            if line_or_end is None:
                raise AssertionError(f"exited ({self.popen.wait()}) before {pattern!r}: {self.output()}")
            self.lines.append(line_or_end)

    def stop(self, timeout: float = COMMAND_SECONDS) -> int:
        """SIGTERM, as a container stop sends; the exit code."""
        self.popen.send_signal(signal.SIGTERM)
        return self.popen.wait(timeout)

    def output(self) -> str:
        """Stdout read so far and stderr, for assertion messages."""
        self._stderr.seek(0)
        return "\n".join(self.lines) + "\n--- stderr ---\n" + self._stderr.read()

    def kill(self) -> None:
        """Kill the command if it still runs, reap it, close its pipes."""
        if self.popen.poll() is None:
            self.popen.kill()
        self.popen.wait(30)
        self._reader.join(10)
        if self.popen.stdout is not None:
            self.popen.stdout.close()
        self._stderr.close()
