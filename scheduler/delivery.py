"""The outbox sender: delivers pending pushes once each, outside any database transaction."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Engine, update
from sqlmodel import col, select

from common.clock import Clock
from common.messaging import Messenger, SendError
from storage.engine import session_scope
from storage.models import OutboxMessage

log = logging.getLogger(__name__)

RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1))
STALE_CLAIM = timedelta(minutes=10)


@dataclass
class DeliveryResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def deliver_pending(*, engine: Engine, messenger: Messenger, clock: Clock) -> DeliveryResult:
    """Send every due pending push; each row is claimed first so two senders never send it twice."""
    result = DeliveryResult()
    for row_id in _due_ids(engine, clock):
        row = _claim(engine, row_id, clock)
        if row is not None:
            _send(engine, messenger, clock, row, result)
    return result


def _due_ids(engine: Engine, clock: Clock) -> list[int]:
    now = clock()
    with session_scope(engine) as session:
        _release_stale_claims(session, now)
        statement = (
            select(OutboxMessage.id)
            .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
            .order_by(col(OutboxMessage.id))
        )
        return list(session.exec(statement).all())


def _release_stale_claims(session, now) -> None:
    """A sender that died mid-send leaves its claim; after a while the row is sent again."""
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == "sending", OutboxMessage.next_attempt_at < now - STALE_CLAIM)
        .values(status="pending")
    )


def _claim(engine: Engine, row_id: int, clock: Clock) -> OutboxMessage | None:
    with session_scope(engine) as session:
        claimed = session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id, OutboxMessage.status == "pending")
            .values(status="sending", next_attempt_at=clock())
        )
        return session.get(OutboxMessage, row_id) if claimed.rowcount == 1 else None


def _send(engine: Engine, messenger: Messenger, clock: Clock, row: OutboxMessage, result: DeliveryResult) -> None:
    try:
        if row.kind == "group":
            messenger.send_to_group(row.target, row.text, row.mention)
        else:
            messenger.send_to_users(row.target.split("|"), row.text)
    except SendError as exc:
        _record_failure(engine, clock, row, exc, result)
        return
    _update(engine, row.id, status="sent", sent_at=clock(), attempts=row.attempts + 1)
    result.sent += 1


def _record_failure(engine: Engine, clock: Clock, row: OutboxMessage, exc: SendError, result: DeliveryResult) -> None:
    attempts = row.attempts + 1
    if exc.retryable and attempts <= len(RETRY_DELAYS):
        log.warning("push %s failed (attempt %d), will retry: %s", row.key, attempts, exc)
        _update(engine, row.id, status="pending", attempts=attempts, last_error=str(exc), next_attempt_at=clock() + RETRY_DELAYS[attempts - 1])
        result.retrying += 1
    else:
        log.error("push %s failed for good: %s", row.key, exc)
        _update(engine, row.id, status="failed", attempts=attempts, last_error=str(exc))
        result.failed += 1


def _update(engine: Engine, row_id: int, **values) -> None:
    with session_scope(engine) as session:
        session.execute(update(OutboxMessage).where(OutboxMessage.id == row_id).values(**values))
