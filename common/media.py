"""The MediaSource interface: how handlers get what members send (images, videos) without HTTP of their own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Media:
    """A downloaded file as WeCom served it."""

    content: bytes
    content_type: str  # e.g. image/jpeg; "" when not said
    filename: str  # as WeCom names it (MEDIA_ID.jpg); "" when not said


class MediaError(Exception):
    """The file could not be had (network, WeCom refused, its id expired after 3 days); the message says why, for the log."""


class MediaTooBig(MediaError):
    """The file is larger than the caller takes; nothing beyond the limit was read."""


class MediaSource(Protocol):
    """Downloads a member's image or video by the MediaId of their message (WeCom keeps it 3 days)."""

    def download(self, media_id: str, *, limit: int) -> Media:
        """The file, if at most `limit` bytes; raises MediaTooBig when larger, MediaError when it cannot be had."""
