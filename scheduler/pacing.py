"""WeCom's rate limits on pushes, kept by holding a push's next part until its recipients have room again.

Group robots take at most 20 messages a minute each (https://developer.work.weixin.qq.com/document/path/91770);
a member receives at most 30 app messages a minute and 1,000 an hour, the excess dropped without an error
(https://developer.work.weixin.qq.com/document/path/90236). A sender never sleeps for these: the push waits
in the outbox until the moment `Pacer.room_at` names, and other targets go on meanwhile.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Limit:
    count: int
    window: timedelta


@dataclass(frozen=True)
class Pacing:
    """The limits of one kind of recipient; kinds of push paced alike (a group's texts and files) count together."""

    name: str
    limits: tuple[Limit, ...]


ROBOT = Pacing("robot", (Limit(20, timedelta(minutes=1)),))
MEMBER = Pacing("member", (Limit(30, timedelta(minutes=1)), Limit(1000, timedelta(hours=1))))
# WeChat names no per-follower rate for customer-service or template messages: a follower is paced as a member is.
FOLLOWER = Pacing("follower", MEMBER.limits)
LONGEST_WINDOW = timedelta(hours=1)  # how far back a round reads the sends it paces by


class Pacer:
    """One delivery round's view of the sends of the last hour per recipient: those stored when it began, and its own.

    Shared by the round's sending threads. Another process sending meanwhile is seen at its next round.
    """

    def __init__(self, sends: Iterable[tuple[Pacing, str, datetime]]):
        self._lock = threading.Lock()
        self._sent: dict[tuple[str, str], list[datetime]] = defaultdict(list)
        for pacing, recipient, at in sends:
            self._sent[pacing.name, recipient].append(at)

    def room_at(self, pacing: Pacing, recipients: Sequence[str], now: datetime) -> datetime | None:
        """None when every recipient may have one more message now; else when the last of them may."""
        free = max((self._free_at(pacing, recipient, now) for recipient in recipients), default=now)
        return free if free > now else None

    def record(self, pacing: Pacing, recipients: Sequence[str], at: datetime) -> None:
        with self._lock:
            for recipient in recipients:
                self._sent[pacing.name, recipient].append(at)

    def _free_at(self, pacing: Pacing, recipient: str, now: datetime) -> datetime:
        with self._lock:
            newest_first = sorted(self._sent.get((pacing.name, recipient), ()), reverse=True)
        free = now
        for limit in pacing.limits:
            recent = [at for at in newest_first if at > now - limit.window]
            if len(recent) >= limit.count:
                # capped: a host whose clock runs ahead may have stamped future times
                free = max(free, min(recent[limit.count - 1] + limit.window, now + limit.window))
        return free
