"""Logging setup: one line per event, JSON when BOARDSHEET_LOG_FORMAT=json, secrets redacted.

Fields passed with `extra={...}` appear as `key=value` in text and as keys in JSON. `RedactSecrets` is
defence in depth: messages are written never to hold a secret, and the filter still masks any configured
secret value that slips into a message, its arguments, an extra field or a traceback.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, TextIO

__all__ = ["JsonFormatter", "RedactSecrets", "TextFormatter", "configure_logging"]

MASK = "[redacted]"
# Secrets this short would mask ordinary words; real keys and tokens are far longer.
MIN_SECRET_LENGTH = 6
# uvicorn adds `color_message` (its message with ANSI colour codes) to every record: never ours to print.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName", "color_message"}


def extra_fields(record: logging.LogRecord) -> dict[str, Any]:
    """The `extra={...}` fields of a record, in insertion order."""
    return {k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")}


class RedactSecrets(logging.Filter):
    """Replaces every configured secret value in a record by `[redacted]`; never drops a record."""

    def __init__(self, secrets: Iterable[str | None]) -> None:
        super().__init__()
        # Longest first, so a secret containing another is masked whole.
        self.secrets = sorted(
            {s for s in secrets if s and len(s) >= MIN_SECRET_LENGTH}, key=len, reverse=True
        )

    def redact(self, text: str) -> str:
        """`text` with every secret masked."""
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        """Mask secrets in the message, extras and traceback of `record` (in place)."""
        if not self.secrets:
            return True
        record.msg = self.redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        for key, value in extra_fields(record).items():
            if isinstance(value, str):
                setattr(record, key, self.redact(value))
            elif not isinstance(value, int | float | bool | type(None)):
                setattr(record, key, self.redact(str(value)))
        return True


class TextFormatter(logging.Formatter):
    """`time level logger message key=value ...` on one line (newlines escaped)."""

    def format(self, record: logging.LogRecord) -> str:
        """One line for one record."""
        stamp = datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
        parts = [stamp, record.levelname, record.name, record.getMessage()]
        parts += [f"{k}={v}" for k, v in extra_fields(record).items()]
        line = " ".join(parts)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line += " | " + record.exc_text
        return line.replace("\r", "\\r").replace("\n", "\\n")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, extras, and `exc` when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        """One line of JSON for one record."""
        doc: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        doc.update(extra_fields(record))
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            doc["exc"] = record.exc_text
        return json.dumps(doc, default=str, ensure_ascii=False)


QUIET_LOGGERS = ("alembic", "urllib3", "googleapiclient.discovery_cache")


def configure_logging(
    *,
    fmt: str = "text",
    level: int | str = logging.INFO,
    secrets: Iterable[str | None] = (),
    stream: TextIO | None = None,
) -> logging.Handler:
    """Log the root logger to `stream` (stderr) as text or JSON with secrets masked; returns the handler.

    `fmt` is "json" or "text" (Settings.log_format, from BOARDSHEET_LOG_FORMAT). Calling it again replaces
    the handler it installed before, so tests and the CLI can reconfigure freely.
    """
    chosen = fmt.strip().lower()
    handler = logging.StreamHandler(stream if stream is not None else sys.stderr)
    handler.setFormatter(JsonFormatter() if chosen == "json" else TextFormatter())
    handler.addFilter(RedactSecrets(secrets))
    handler.set_name("boardsheet")
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == "boardsheet"]:
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    root.setLevel(level)
    # Libraries' routine chatter (each migration step, each HTTP request) is not an event worth a line.
    for noisy in QUIET_LOGGERS:
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
    return handler
