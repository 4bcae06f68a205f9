"""The outbox: every push is written here first, under an idempotency key, and delivered by a sender.

This module holds every statement on OutboxMessage; the sender's policy (retries, pacing, parts)
lives in scheduler.delivery.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import case, func, null, or_, update
from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from storage.models import Kind, OutboxMessage, Status
from storage.upsert import insert_absent


class Push(NamedTuple):
    """One push to queue: its idempotency key, kind, the target, the text and who to @-mention, or a file's name and bytes."""

    key: str
    kind: Kind
    target: str
    text: str
    mention: Sequence[str] = ()
    filename: str = ""
    content: bytes | None = None


def push_key(*parts: object) -> str:
    """The one shape of idempotency keys: push_key("notice", 12, 3, "office") is "notice:12:3:office"; "" parts are left out."""
    return ":".join(str(part) for part in parts if part != "")


def queue(*, session: Session, pushes: Sequence[Push], now: datetime) -> int:
    """Queue pushes in one statement (a job may queue hundreds); how many were new, a key queued before being skipped."""
    return len(queue_new(session=session, pushes=pushes, now=now))


def queue_new(*, session: Session, pushes: Sequence[Push], now: datetime) -> list[int]:
    """Queue pushes like `queue`; the ids of the rows this call added."""
    rows = [
        dict(key=p.key, kind=p.kind, target=p.target, text=p.text, mention=list(p.mention), filename=p.filename,
             content=p.content, status=Status.PENDING, attempts=0, last_error="", created_at=now, next_attempt_at=now)
        for p in pushes
    ]
    return insert_absent(session, OutboxMessage, rows)


class Due(NamedTuple):
    id: int
    target: str


def due(*, session: Session, now: datetime) -> list[Due]:
    """The pending rows whose time has come, oldest first, with their targets (a sender sends each target's in order)."""
    statement = (
        select(OutboxMessage.id, OutboxMessage.target)
        .where(OutboxMessage.status == Status.PENDING, OutboxMessage.next_attempt_at <= now)
        .order_by(col(OutboxMessage.id))
    )
    return [Due(*row) for row in session.exec(statement).all()]


def release_stale_claims(*, session: Session, claimed_before: datetime) -> None:
    """Put rows claimed before `claimed_before` back to pending: their sender died mid-send."""
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == Status.SENDING, OutboxMessage.next_attempt_at < claimed_before)
        .values(status=Status.PENDING)
    )


def claim(*, session: Session, row_id: int, now: datetime) -> OutboxMessage | None:
    """Take a pending row for sending (its claim time kept in next_attempt_at); None when another sender has it."""
    claimed = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == row_id, OutboxMessage.status == Status.PENDING)
        .values(status=Status.SENDING, next_attempt_at=now)
    )
    return session.get(OutboxMessage, row_id) if claimed.rowcount == 1 else None


def record_part_sent(*, session: Session, row_id: int, parts_sent: int, at: datetime) -> None:
    """Record that the row's first `parts_sent` parts went out, the latest at `at`; a retry resumes after them."""
    _set(session, row_id, parts_sent=parts_sent, sent_at=at, in_doubt=False)


def record_sent(*, session: Session, row_id: int, parts_sent: int, at: datetime, attempts: int) -> None:
    """Record the row's last part and the row sent, in one statement; a file's bytes are no longer needed."""
    _set(session, row_id, parts_sent=parts_sent, sent_at=at, status=Status.SENT, attempts=attempts, in_doubt=False, content=None)


def hold_until(*, session: Session, row_id: int, at: datetime) -> None:
    """Put a claimed row back to pending until `at`, its rounds and doubt untouched: WeCom's rate limit, not a failure, holds it."""
    _set(session, row_id, status=Status.PENDING, next_attempt_at=at)


def reschedule(*, session: Session, row_id: int, attempts: int, error: str, at: datetime, in_doubt: bool) -> None:
    """Put the row back to pending after a failed round, to be tried again at `at`; `in_doubt`: WeCom may have its next part."""
    _set(session, row_id, status=Status.PENDING, attempts=attempts, last_error=error, next_attempt_at=at, in_doubt=in_doubt)


def mark_failed(*, session: Session, row_id: int, attempts: int, error: str) -> None:
    """Give the row up for good; a user's file drops its bytes (the user is told to ask again), a group's file keeps them.

    A group's file (the week's workbook as of the overdue alert) cannot be built again as it was: `outbox retry` sends these bytes.
    """
    kept = case((OutboxMessage.kind == Kind.GROUP_FILE, OutboxMessage.content), else_=null())
    _set(session, row_id, status=Status.FAILED, attempts=attempts, last_error=error, content=kept)


def oldest_failing(*, session: Session, excluding_prefix: str) -> int | None:
    """The oldest row still being retried after a failed round, keys starting with `excluding_prefix` left out."""
    statement = select(func.min(OutboxMessage.id)).where(
        col(OutboxMessage.status).in_((Status.PENDING, Status.SENDING)),
        OutboxMessage.attempts > 0,
        ~col(OutboxMessage.key).startswith(excluding_prefix, autoescape=True),
    )
    return session.exec(statement).one()


def unsent(*, session: Session, failed_only: bool) -> list[OutboxMessage]:
    """Rows not sent (pending, sending, failed), or only those given up, oldest first; a file's bytes are not loaded."""
    statuses = (Status.FAILED,) if failed_only else (Status.PENDING, Status.SENDING, Status.FAILED)
    statement = (
        select(OutboxMessage).options(defer(OutboxMessage.content))
        .where(col(OutboxMessage.status).in_(statuses)).order_by(col(OutboxMessage.id))
    )
    return list(session.exec(statement).all())


def retry_row(*, session: Session, row_id: int, now: datetime) -> bool:
    """Make a failed or waiting row due now, its rounds counted afresh; False if it is missing, sent or being sent."""
    waiting = col(OutboxMessage.status).in_((Status.FAILED, Status.PENDING))
    return _requeue(session, now, OutboxMessage.id == row_id, waiting) == 1


def retry_failed(*, session: Session, now: datetime) -> int:
    """Make every failed row due now, its rounds counted afresh; how many."""
    return _requeue(session, now, OutboxMessage.status == Status.FAILED)


def _requeue(session: Session, now: datetime, *where) -> int:
    """A file given up has dropped its bytes (its user was told instead), so it cannot go again."""
    has_content = or_(OutboxMessage.kind != Kind.FILE, col(OutboxMessage.content).is_not(None))
    statement = update(OutboxMessage).where(*where, has_content).values(status=Status.PENDING, attempts=0, next_attempt_at=now)
    return session.execute(statement).rowcount


class Sent(NamedTuple):
    kind: Kind
    target: str
    at: datetime
    parts: int


def sends_since(*, session: Session, since: datetime) -> list[Sent]:
    """Every row with a part sent after `since`: its kind, target, latest part's time and parts sent so far.

    A row sent as several parts counts once per part, all at its latest part's time (never too few).
    """
    statement = select(OutboxMessage.kind, OutboxMessage.target, OutboxMessage.sent_at, OutboxMessage.parts_sent).where(
        col(OutboxMessage.sent_at) > since
    )
    return [Sent(Kind(kind), target, at, max(parts, 1)) for kind, target, at, parts in session.exec(statement).all()]


def _set(session: Session, row_id: int, **values) -> None:
    session.execute(update(OutboxMessage).where(OutboxMessage.id == row_id).values(**values))
