"""The outbox sender: delivers pending pushes once each, outside any database transaction.

Retries follow WeCom's error codes (https://developer.work.weixin.qq.com/document/path/90313): a
retryable SendError is tried again at once with exponential backoff (tenacity); if WeCom stays
down the row goes back to pending and later rounds try again, then it is marked failed.
A group robot has no idempotency key (https://developer.work.weixin.qq.com/document/path/91770): a
send that got no answer may have arrived, so it is not tried again at once but in a later round,
marked （重发）.
Group robots take at most 20 messages a minute each (https://developer.work.weixin.qq.com/document/path/91770).
A text longer than one WeCom message goes as several parts, in order; each part sent is recorded, so a
retry resumes with the part that failed and never repeats one, and pacing counts parts.
A file goes as one message under the same rules; when it fails for good its user is told instead.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable, Sequence

from sqlalchemy import Engine
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential

from common.clock import Clock
from common.messenger import TEXT_LIMIT_BYTES, Messenger, SendError, split_text
from storage.engine import session_scope
from storage.models import Kind, OutboxMessage
from storage.outbox import (
    Push, claim, due_ids, mark_failed, push_key, queue, recent_sends, record_part_sent, record_sent, release_stale_claims, reschedule,
)

log = logging.getLogger(__name__)

Sleep = Callable[[float], None]

QUICK_ATTEMPTS = 3  # tries within one round, 1 s then 2 s apart
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1))
STALE_CLAIM = timedelta(minutes=10)
ROBOT_LIMIT = 20
ROBOT_WINDOW = timedelta(minutes=1)
RESENT = "（重发）"  # heads a part sent again after WeCom gave no answer: readers may already have it
PART_LIMIT = TEXT_LIMIT_BYTES - len(RESENT.encode())  # room for the mark, so a resent part still fits one message


@dataclass
class DeliveryResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def deliver_pending(*, engine: Engine, messenger: Messenger, clock: Clock, sleep: Sleep = time.sleep) -> DeliveryResult:
    """Send every due pending push, and those queued meanwhile; each row is claimed first so two senders never send it twice.

    A row is tried once per call at most: one whose round failed waits for its next round.
    """
    result, tried = DeliveryResult(), set[int]()
    while batch := [row_id for row_id in _due_ids(engine, clock) if row_id not in tried]:
        tried.update(batch)
        for row_id in batch:
            row = _claim(engine, row_id, clock)
            if row is not None:
                _send(engine, messenger, clock, sleep, row, result)
    return result


def _due_ids(engine: Engine, clock: Clock) -> list[int]:
    now = clock()
    with session_scope(engine) as session:
        release_stale_claims(session=session, claimed_before=now - STALE_CLAIM)  # a sender that died mid-send leaves its claim
        return due_ids(session=session, now=now)


def _claim(engine: Engine, row_id: int, clock: Clock) -> OutboxMessage | None:
    with session_scope(engine) as session:
        return claim(session=session, row_id=row_id, now=clock())


def _pace(engine: Engine, clock: Clock, sleep: Sleep, row: OutboxMessage, own_sends: list[datetime]) -> None:
    """Wait until the group has had fewer than ROBOT_LIMIT messages in the last minute.

    Other rows' parts are counted in the outbox; this row's parts sent in this round, from `own_sends`.
    """
    if row.kind != Kind.GROUP:
        return
    now = clock()
    with session_scope(engine) as session:
        stored = recent_sends(session=session, target=row.target, since=now - ROBOT_WINDOW, limit=ROBOT_LIMIT, excluding=row.id)
    sends = sorted(stored + [at for at in own_sends if at > now - ROBOT_WINDOW], reverse=True)[:ROBOT_LIMIT]
    if len(sends) == ROBOT_LIMIT:
        wait = min(sends[-1] + ROBOT_WINDOW - now, ROBOT_WINDOW)  # capped: a host whose clock runs ahead may have stamped future times
        sleep(wait.total_seconds())


def _send(engine: Engine, messenger: Messenger, clock: Clock, sleep: Sleep, row: OutboxMessage, result: DeliveryResult) -> None:
    parts, sent_at = _parts(row), []
    try:
        for number in range(row.parts_sent, len(parts)):
            _pace(engine, clock, sleep, row, sent_at)
            _retrying(row, sleep)(_push, messenger, row, _marked(row, parts, number), mention=row.mention if number == 0 else ())
            sent_at.append(clock())
            _record_part(engine, row, number + 1, len(parts), sent_at[-1])
    except SendError as exc:
        doubted_part_unsent = row.in_doubt and not sent_at  # the doubted part is the first one tried
        _record_failure(engine, clock, row, exc, result, in_doubt=exc.maybe_delivered or doubted_part_unsent)
        return
    result.sent += 1


def _parts(row: OutboxMessage) -> list[str]:
    """What goes as one WeCom message each: the text cut to the byte limit, or the one file (named)."""
    return [row.filename] if row.kind == Kind.FILE else split_text(row.text, PART_LIMIT)


def _marked(row: OutboxMessage, parts: list[str], number: int) -> str:
    """Part `number`, headed （重发） when its last try got no answer: WeCom may have shown it already."""
    doubted = row.in_doubt and number == row.parts_sent
    return RESENT + parts[number] if doubted else parts[number]


def _record_part(engine: Engine, row: OutboxMessage, parts_sent: int, parts: int, at: datetime) -> None:
    """Each part is recorded as it goes; the last part's record also marks the row sent, in the same statement."""
    if parts_sent < parts:
        _store(engine, record_part_sent, row_id=row.id, parts_sent=parts_sent, at=at)
    else:
        _store(engine, record_sent, row_id=row.id, parts_sent=parts_sent, at=at, attempts=row.attempts + 1)


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


def _push(messenger: Messenger, row: OutboxMessage, part: str, *, mention: Sequence[str]) -> None:
    """One part of the row (a file's part is its name); a group's @-mentions go with the first part only."""
    if row.kind == Kind.GROUP:
        messenger.send_to_group(row.target, part, mention)
    elif row.kind == Kind.FILE:
        messenger.send_file(row.target, part, row.content)
    else:
        messenger.send_to_users(row.target.split("|"), part)


def _record_failure(engine: Engine, clock: Clock, row: OutboxMessage, exc: SendError, result: DeliveryResult, *, in_doubt: bool) -> None:
    attempts = row.attempts + 1
    if exc.retryable and attempts <= len(RETRY_DELAYS):
        log.warning("push %s failed (round %d), will retry: %s", row.key, attempts, exc)
        at = clock() + RETRY_DELAYS[attempts - 1]
        _store(engine, reschedule, row_id=row.id, attempts=attempts, error=str(exc), at=at, in_doubt=in_doubt)
        result.retrying += 1
    else:
        log.error("push %s failed for good: %s", row.key, exc)
        with session_scope(engine) as session:
            mark_failed(session=session, row_id=row.id, attempts=attempts, error=str(exc))
            queue(session=session, pushes=_told_instead(row), now=clock())
        result.failed += 1


def _told_instead(row: OutboxMessage) -> list[Push]:
    """A file given up is replaced by its text to the same user (the caller's words); a text given up is only logged."""
    if row.kind != Kind.FILE or not row.text:
        return []
    return [Push(push_key(row.key, "failed"), Kind.USERS, row.target, row.text)]


def _store(engine: Engine, write: Callable[..., None], **values) -> None:
    """One outbox write in a short transaction of its own: none stays open while WeCom answers."""
    with session_scope(engine) as session:
        write(session=session, **values)
