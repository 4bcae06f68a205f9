"""Injected time: logic asks a Clock for "now" instead of reading the system clock."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The real time, timezone-aware in UTC."""
    return datetime.now(timezone.utc)


def clock_from(start: datetime, base: Clock = system_clock) -> Clock:
    """A clock that reads `start` now and runs on in real time (`jobs run --at`)."""
    offset = start - base()
    return lambda: base() + offset
