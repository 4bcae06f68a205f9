"""The Messenger interface: the only way handlers and jobs reach WeCom and the WeChat official account (or a console, or a test fake)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

TEXT_LIMIT_BYTES = 2048  # one WeCom text message, app or robot (docs 90236, 91770); longer texts go as several
# Sends in flight at once from one sender (one target each): 16 calls of 100 ms reach 9,600 a minute, inside
# WeCom's 10,000 API calls a minute per corp; a messenger keeps this many connections.
CONCURRENT_SENDS = 16


class SendError(Exception):
    """A message could not be delivered; `retryable` says whether trying again may help.

    `maybe_delivered` is an unknown outcome: the request went out but no answer came in time, so
    WeCom may have shown the message all the same.
    """

    def __init__(self, message: str, *, retryable: bool, errcode: int | None = None, maybe_delivered: bool = False):
        super().__init__(message)
        self.retryable = retryable
        self.errcode = errcode
        self.maybe_delivered = maybe_delivered


class Messenger(Protocol):
    """Outbound messages, one WeCom message per call (texts of at most TEXT_LIMIT_BYTES: see split_text).

    Implementations raise SendError when delivery fails, and are called from CONCURRENT_SENDS threads at once.
    """

    def send_to_users(self, user_ids: Sequence[str], text: str) -> None:
        """A text message to one or more users, each privately."""

    def send_to_group(self, group_id: str, text: str, mention: Sequence[str] = ()) -> None:
        """A text message to a configured group, @-mentioning the given user ids."""

    def send_file(self, user_id: str, filename: str, content: bytes) -> None:
        """A file (e.g. an Excel export) to one user."""

    def send_file_to_group(self, group_id: str, filename: str, content: bytes) -> None:
        """A file (e.g. the week's workbook) to a configured group."""

    def send_to_follower(self, openid: str, text: str) -> None:
        """A customer-service text to a follower of the official account (WeChat allows it within 48 h of their last message)."""

    def send_template(self, openid: str, values: str, *, key: str) -> None:
        """The reminders' template message to a follower, filled from `values` (JSON by TEMPLATE_VALUES name); `key` names the push."""


def split_text(text: str, limit: int = TEXT_LIMIT_BYTES) -> list[str]:
    """Split text into parts of at most `limit` UTF-8 bytes, at line breaks where possible."""
    parts: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        while len(line.encode()) > limit:
            head = _longest_prefix(line, limit)
            parts, current = _flush(parts, current), ""
            parts.append(head)
            line = line[len(head):]
        if len((current + line).encode()) > limit:
            parts, current = _flush(parts, current), ""
        current += line
    return _flush(parts, current) or [""]


def _longest_prefix(line: str, limit: int) -> str:
    cut = limit
    while len(line[:cut].encode()) > limit:
        cut -= 1
    return line[:cut]


def _flush(parts: list[str], current: str) -> list[str]:
    return [*parts, current.rstrip("\n")] if current.strip() else parts
