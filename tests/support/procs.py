"""Run a `boardsheet` command in a subprocess and read its output line by line, always bounded in time."""

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
from pathlib import Path

BOARDSHEET = str(Path(sys.executable).parent / "boardsheet")


class Proc:
    """A running `boardsheet` command; `lines` collects its stdout, stderr is kept for failures."""

    def __init__(self, *args: str) -> None:
        # stderr to a file: a chatty child must never block on a full pipe nobody reads.
        self._stderr = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 - closed in kill()
        env = {k: v for k, v in os.environ.items() if k != "GOOGLE_APPLICATION_CREDENTIALS"}
        self.popen = subprocess.Popen(
            [BOARDSHEET, *args],
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            env=env | {"PYTHONUNBUFFERED": "1"},
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

    def wait_for(self, pattern: str, timeout: float = 60.0) -> re.Match[str]:
        """The first output line matching `pattern` (searched from the start), waiting for it if needed."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while True:
            for line in self.lines:
                if found := regex.search(line):
                    return found
            try:
                line_or_end = self._queue.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                raise AssertionError(f"no line matching {pattern!r} in time: {self.lines}") from None
            if line_or_end is None:
                raise AssertionError(f"exited ({self.popen.wait()}) before {pattern!r}: {self.output()}")
            self.lines.append(line_or_end)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 60.0) -> int:
        """Send `sig`, wait for the exit code and the rest of stdout."""
        self.popen.send_signal(sig)
        code = self.popen.wait(timeout)
        self._reader.join(10)
        while not self._queue.empty():
            line = self._queue.get()
            if line is not None:
                self.lines.append(line)
        return code

    def output(self) -> str:
        """Stdout so far and stderr, for assertion messages."""
        self._stderr.seek(0)
        err = self._stderr.read()
        return "\n".join(self.lines) + "\n--- stderr ---\n" + err

    def kill(self) -> None:
        """Kill the process if it still runs, and reap it."""
        if self.popen.poll() is None:
            self.popen.kill()
        self.popen.wait(30)
        if self.popen.stdout is not None:
            self.popen.stdout.close()
        self._stderr.close()
