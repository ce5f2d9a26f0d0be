"""Keep the bot token out of everything the program prints or logs.

The token is in every Bot API URL, and python-telegram-bot puts it in some exception messages too
("The token `…` was rejected by the server"), so log records, tracebacks and anything written to
stdout/stderr all pass through redact() once a token is configured.
"""
from __future__ import annotations

import contextlib
import logging
import sys
import traceback
from collections.abc import Iterator
from typing import IO
from urllib.parse import quote

MASK = "[token]"
# Telegram's secret part is 35 characters; shorter "secrets" (test tokens like "1:T") would mask ordinary words
_MIN_SECRET = 16


def forms(token: str) -> list[str]:
    """The ways the token can appear in text: as is, URL-quoted, and its secret part after the colon."""
    if not token:
        return []
    found = {token, quote(token, safe=""), quote(token)}
    secret = token.partition(":")[2]
    if len(secret) >= _MIN_SECRET:
        found.add(secret)
    return sorted(found, key=len, reverse=True)    # longest first: the whole token before its secret part


def redact(text: str, token: str) -> str:
    for form in forms(token):
        text = text.replace(form, MASK)
    return text


class RedactToken(logging.Filter):
    """Replace the bot token in every log record: its message, its arguments, its traceback and stack."""

    def __init__(self, token: str):
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.token:
            return True
        try:
            message = record.getMessage()
        except Exception:       # a malformed log call: logging reports it itself, without the arguments
            return True
        record.msg, record.args = redact(message, self.token), None
        if record.exc_info and not record.exc_text:
            record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self.token)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self.token)
        return True


def configure_logging(token: str, level: int = logging.INFO) -> None:
    """Log lines with time and level to stderr, the token redacted from each (httpx's request lines off)."""
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=level)
    logging.getLogger("httpx").setLevel(logging.WARNING)   # httpx logs each request URL, token included
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RedactToken) and f.token == token for f in handler.filters):
            handler.addFilter(RedactToken(token))


class RedactingStream:
    """A text stream that writes through to another with the token masked (stdout, stderr)."""

    def __init__(self, stream: IO[str], token: str):
        self._stream, self._token = stream, token

    def write(self, text: str) -> int:
        self._stream.write(redact(text, self._token))
        return len(text)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


@contextlib.contextmanager
def redacted_output(token: str) -> Iterator[None]:
    """While inside, what is printed to stdout and stderr has the token masked."""
    if not token:
        yield
        return
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = RedactingStream(saved[0], token), RedactingStream(saved[1], token)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
