"""The outbox sender: delivers pending pushes once each, outside any database transaction.

Retries follow WeCom's error codes (https://developer.work.weixin.qq.com/document/path/90313): a
retryable SendError is tried again at once with exponential backoff (tenacity); if WeCom stays
down the row goes back to pending and later rounds try again, 1, 5 and 15 minutes later, then
hourly, for at least 3 days; then it is given up. Other errors give it up at once. The admins are
told once per outage when pushes have failed for over an hour, and of pushes given up.
A group robot has no idempotency key (https://developer.work.weixin.qq.com/document/path/91770): a
send that got no answer may have arrived, so it is not tried again at once but in a later round,
marked （重发）.
Targets are sent to concurrently, CONCURRENT_SENDS at a time, each target's pushes in order. WeCom's rate
limits (scheduler.pacing) hold a push's next part in the outbox until there is room, never a sleep.
A text longer than one WeCom message goes as several parts, in order; each part sent is recorded, so a
retry resumes with the part that failed and never repeats one, and pacing counts parts.
A file goes as one message under the same rules (to a group too: https://developer.work.weixin.qq.com/document/path/91770
for robots, 90248 for app group chats); when a user's file fails for good the user is told instead.
Followers of the WeChat official account get texts as customer-service messages (final errcode 45015 once they
have not written for 48 hours) and the reminders as one template message, which is never marked: WeChat shows
a resend within 10 minutes once only, and the template's fields have no room for the mark.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential

from common.clock import Clock
from common.messenger import CONCURRENT_SENDS, TEXT_LIMIT_BYTES, Messenger, SendError, split_text
from scheduler import alerts
from scheduler.channels import CHANNELS, Channel
from scheduler.pacing import LONGEST_WINDOW, Pacer, Pacing
from storage.engine import session_scope
from storage.models import Kind, OutboxMessage
from storage.outbox import (
    Push,
    claim,
    due,
    hold_until,
    mark_failed,
    oldest_failing,
    push_key,
    queue_new,
    record_part_sent,
    record_sent,
    release_stale_claims,
    reschedule,
    sends_since,
)

log = logging.getLogger(__name__)

Sleep = Callable[[float], None]

QUICK_ATTEMPTS = 3  # tries within one round, 1 s then 2 s apart
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15))  # after the first rounds
RETRY_CAP = timedelta(hours=1)  # between later rounds
ALERT_AFTER = timedelta(hours=1)  # a push failing this long tells the admins
GIVE_UP_AFTER = timedelta(days=3)  # a push failing this long is given up
STALE_CLAIM = timedelta(minutes=10)
RESENT = "（重发）"  # heads a part sent again after WeCom gave no answer: readers may already have it
PART_LIMIT = TEXT_LIMIT_BYTES - len(RESENT.encode())  # room for the mark, so a resent part still fits one message


@dataclass
class DeliveryResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    held: int = 0  # waiting for room under WeCom's rate limits


def deliver_pending(
    *, engine: Engine, messenger: Messenger, clock: Clock, sleep: Sleep = time.sleep, admins: Sequence[str] = ()
) -> DeliveryResult:
    """Send every due pending push, and those queued meanwhile; each row is claimed first so two senders never send it twice.

    Each target's pushes go in order, CONCURRENT_SENDS targets at a time. A row is tried once per call at
    most: one whose round failed waits for its next round, one held by a rate limit for its moment.
    `admins` are told when pushes keep failing or are given up.
    """
    sender = _Sender(engine, messenger, clock, sleep, tuple(admins))
    with ThreadPoolExecutor(CONCURRENT_SENDS, thread_name_prefix="outbox") as pool:
        while by_target := sender.next_round():
            for sending in [pool.submit(sender.deliver_in_order, row_ids) for row_ids in by_target]:
                sending.result()
    return sender.result


def retry_delay(attempts: int) -> timedelta:
    """How long a row waits after its `attempts`-th failed round: 1, 5, 15 minutes, then hourly."""
    return RETRY_DELAYS[attempts - 1] if attempts <= len(RETRY_DELAYS) else RETRY_CAP


def failing_for(attempts: int) -> timedelta:
    """How long a row has been failing at its `attempts`-th failed round, counted in the waits between rounds (at least)."""
    return sum((retry_delay(round_) for round_ in range(1, attempts)), timedelta())


@dataclass
class _Sender:
    """One call of deliver_pending: what it sends with, the rows it tried and what came of them; shared by its threads."""

    engine: Engine
    messenger: Messenger
    clock: Clock
    sleep: Sleep
    admins: tuple[str, ...]
    result: DeliveryResult = field(default_factory=DeliveryResult)
    tried: set[int] = field(default_factory=set)
    pacer: Pacer = field(default_factory=lambda: Pacer(()))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def next_round(self) -> list[list[int]]:
        """The due rows not tried yet, a list per target in order, once the claims of senders that died are released.

        The round's pacer starts from the sends stored in the last hour.
        """
        now = self.clock()
        with session_scope(self.engine) as session:
            release_stale_claims(session=session, claimed_before=now - STALE_CLAIM)  # a sender that died mid-send leaves its claim
            rows = [row for row in due(session=session, now=now) if row.id not in self.tried]
            if rows:
                self.pacer = Pacer(_stored_sends(session, now))
        by_target: dict[str, list[int]] = defaultdict(list)
        for row in rows:
            by_target[row.target].append(row.id)
        return list(by_target.values())

    def deliver_in_order(self, row_ids: list[int]) -> None:
        for row_id in row_ids:
            self.deliver(row_id)

    def deliver(self, row_id: int) -> None:
        """Claim the row and send it, once per call; what its failure queued (the admins' alert) goes at once, ahead of the backlog."""
        if not self._first_try(row_id):
            return
        with session_scope(self.engine) as session:
            row = claim(session=session, row_id=row_id, now=self.clock())
        if row is None:
            return  # another sender has it
        for queued_id in self._send(row):
            self.deliver(queued_id)

    def _first_try(self, row_id: int) -> bool:
        with self._lock:
            first = row_id not in self.tried
            self.tried.add(row_id)
            return first

    def _tally(self, outcome: str) -> None:
        with self._lock:
            setattr(self.result, outcome, getattr(self.result, outcome) + 1)

    def _send(self, row: OutboxMessage) -> list[int]:
        """Send the row's parts not yet sent, each when its recipients have room; the ids of the pushes its failure queued."""
        channel = CHANNELS[row.kind]
        parts, sent_at, recipients = _parts(row, channel), [], channel.recipients(row.target)
        try:
            for number in range(row.parts_sent, len(parts)):
                room = self.pacer.room_at(channel.pacing, recipients, self.clock())
                if room is not None:
                    return self._hold(row, room)
                mention = row.mention if number == 0 else ()
                _retrying(row, self.sleep)(channel.send, self.messenger, row, _marked(row, channel, parts, number), mention)
                sent_at.append(self.clock())
                self.pacer.record(channel.pacing, recipients, sent_at[-1])
                self._record_part(row, number + 1, len(parts), sent_at[-1])
        except SendError as exc:
            doubted_part_unsent = row.in_doubt and not sent_at  # the doubted part is the first one tried
            return self._record_failure(row, exc, in_doubt=exc.maybe_delivered or doubted_part_unsent)
        self._tally("sent")
        return []

    def _hold(self, row: OutboxMessage, until: datetime) -> list[int]:
        """Back to the outbox until its recipients have room; the parts already sent stay recorded."""
        with session_scope(self.engine) as session:
            hold_until(session=session, row_id=row.id, at=until)
        self._tally("held")
        return []

    def _record_part(self, row: OutboxMessage, parts_sent: int, parts: int, at: datetime) -> None:
        """Each part is recorded as it goes; the last part's record also marks the row sent, in the same statement."""
        with session_scope(self.engine) as session:
            if parts_sent < parts:
                record_part_sent(session=session, row_id=row.id, parts_sent=parts_sent, at=at)
            else:
                record_sent(session=session, row_id=row.id, parts_sent=parts_sent, at=at, attempts=row.attempts + 1)

    def _record_failure(self, row: OutboxMessage, exc: SendError, *, in_doubt: bool) -> list[int]:
        """Put the row back for a later round, or give it up; the ids of the pushes this queued."""
        attempts = row.attempts + 1
        now = self.clock()
        if exc.retryable and failing_for(attempts) < GIVE_UP_AFTER:
            log.warning("push %s failed (round %d), will retry: %s", row.key, attempts, exc)
            self._tally("retrying")
            with session_scope(self.engine) as session:
                next_round = now + retry_delay(attempts)
                reschedule(session=session, row_id=row.id, attempts=attempts, error=str(exc), at=next_round, in_doubt=in_doubt)
                return queue_new(session=session, pushes=self._delay_alert(session, row, attempts, exc), now=now)
        log.error("push %s failed for good: %s", row.key, exc)
        self._tally("failed")
        with session_scope(self.engine) as session:
            mark_failed(session=session, row_id=row.id, attempts=attempts, error=str(exc))
            return queue_new(session=session, pushes=self._given_up(row, exc), now=now)

    def _delay_alert(self, session: Session, row: OutboxMessage, attempts: int, exc: SendError) -> list[Push]:
        """The outage's alert, when this round took the row past ALERT_AFTER of failing (once per row)."""
        crossed = failing_for(attempts - 1) < ALERT_AFTER <= failing_for(attempts)
        if not crossed or alerts.is_alert(row):
            return []
        outage = oldest_failing(session=session, excluding_prefix=alerts.PREFIX)
        return alerts.delayed(outage=outage, admins=self.admins, error=str(exc))

    def _given_up(self, row: OutboxMessage, exc: SendError) -> list[Push]:
        """What a push given up queues: a file's text to the user who asked for it, else the admins' alert."""
        if alerts.is_alert(row):
            return []
        return _told_instead(row) or alerts.given_up(row=row, admins=self.admins, error=str(exc), now=self.clock())


def _stored_sends(session: Session, now: datetime) -> list[tuple[Pacing, str, datetime]]:
    """The sends of the last hour, once per part and recipient, as the pacer counts them."""
    sends = []
    for sent in sends_since(session=session, since=now - LONGEST_WINDOW):
        channel = CHANNELS[sent.kind]
        sends += [(channel.pacing, recipient, sent.at) for recipient in channel.recipients(sent.target) for _ in range(sent.parts)]
    return sends


def _parts(row: OutboxMessage, channel: Channel) -> list[str]:
    """What goes as one message each: the text cut to the byte limit, the one file (named), or a template's values whole."""
    if channel.file:
        return [row.filename]
    return [row.text] if channel.whole else split_text(row.text, PART_LIMIT)


def _marked(row: OutboxMessage, channel: Channel, parts: list[str], number: int) -> str:
    """Part `number`, headed （重发） when its last try got no answer: WeCom may have shown it already (a template is never marked)."""
    doubted = row.in_doubt and number == row.parts_sent and not channel.whole
    return RESENT + parts[number] if doubted else parts[number]


def _retrying(row: OutboxMessage, sleep: Sleep) -> Retrying:
    return Retrying(
        retry=retry_if_exception(_retry_at_once),
        wait=wait_exponential(multiplier=1, min=1, max=8),
        stop=stop_after_attempt(QUICK_ATTEMPTS),
        sleep=sleep,
        reraise=True,
        before_sleep=lambda state: log.warning("push %s: %s; trying again", row.key, state.outcome.exception()),
    )


def _retry_at_once(exc: BaseException) -> bool:
    """A retryable error, unless the send got no answer: trying again at once could show the message twice."""
    return isinstance(exc, SendError) and exc.retryable and not exc.maybe_delivered


def _told_instead(row: OutboxMessage) -> list[Push]:
    """A file given up is replaced by its text to the same user (the caller's words)."""
    if row.kind != Kind.FILE or not row.text:
        return []
    return [Push(push_key(row.key, "failed"), Kind.USERS, row.target, row.text)]
