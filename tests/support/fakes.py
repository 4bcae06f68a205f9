"""In-memory stand-ins for the bot's outside world: a recording messenger, a settable clock, a sleep that only moves it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from common.messenger import SendError


@dataclass
class Sent:
    """One message recorded by the fake messenger."""

    kind: str  # "users", "group", "file", "group_file", "follower" or "template"
    target: str
    text: str
    mention: tuple[str, ...] = ()
    content: bytes = b""


@dataclass
class FakeMessenger:
    """Records every send in memory; tests read `sent` and may queue failures."""

    sent: list[Sent] = field(default_factory=list)
    failures: list[SendError] = field(default_factory=list)

    def send_to_users(self, user_ids: Sequence[str], text: str) -> None:
        self._maybe_fail()
        self.sent.extend(Sent("users", uid, text) for uid in user_ids)

    def send_to_group(self, group_id: str, text: str, mention: Sequence[str] = ()) -> None:
        self._maybe_fail()
        self.sent.append(Sent("group", group_id, text, tuple(mention)))

    def send_file(self, user_id: str, filename: str, content: bytes) -> None:
        self._maybe_fail()
        self.sent.append(Sent("file", user_id, filename, content=content))

    def send_file_to_group(self, group_id: str, filename: str, content: bytes) -> None:
        self._maybe_fail()
        self.sent.append(Sent("group_file", group_id, filename, content=content))

    def send_to_follower(self, openid: str, text: str) -> None:
        self._maybe_fail()
        self.sent.append(Sent("follower", openid, text))

    def send_template(self, openid: str, values: str, *, key: str) -> None:
        self._maybe_fail()
        self.sent.append(Sent("template", openid, values))

    def to(self, target: str) -> list[Sent]:
        return [s for s in self.sent if s.target == target]

    def _maybe_fail(self) -> None:
        if self.failures:
            raise self.failures.pop(0)


class FakeClock:
    """A settable clock."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def set(self, now: datetime) -> None:
        self.now = now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class FakeSleep:
    """Records each wait and moves the fake clock by it, so nothing really sleeps."""

    def __init__(self, clock: FakeClock):
        self.clock = clock
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.clock.advance(seconds=seconds)
