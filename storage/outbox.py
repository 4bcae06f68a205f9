"""The outbox: every push is written here first, under an idempotency key, and delivered by a sender."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple, Sequence

from sqlmodel import Session, col, select

from storage.models import OutboxMessage
from storage.upsert import insert_absent


class Push(NamedTuple):
    """One push to queue: its idempotency key, "group" or "users", the target, the text and who to @-mention."""

    key: str
    kind: str
    target: str
    text: str
    mention: Sequence[str] = ()


def enqueue(
    *, session: Session, key: str, kind: str, target: str, text: str, now: datetime, mention: Sequence[str] = ()
) -> bool:
    """Queue one push ("group" or "users" kind); False when the key was queued before (nothing new to send)."""
    return enqueue_all(session=session, pushes=[Push(key, kind, target, text, mention)], now=now) == 1


def enqueue_all(*, session: Session, pushes: Sequence[Push], now: datetime) -> int:
    """Queue pushes in one statement (a job may queue hundreds); how many were new."""
    rows = [
        dict(key=p.key, kind=p.kind, target=p.target, text=p.text, mention=list(p.mention), status="pending",
             attempts=0, last_error="", created_at=now, next_attempt_at=now)
        for p in pushes
    ]
    return insert_absent(session, OutboxMessage, rows)


def recent_sends(*, session: Session, target: str, since: datetime, limit: int) -> list[datetime]:
    """When the latest pushes to `target` after `since` were sent, newest first, at most `limit` of them."""
    statement = (
        select(OutboxMessage.sent_at)
        .where(OutboxMessage.target == target, OutboxMessage.status == "sent", col(OutboxMessage.sent_at) > since)
        .order_by(col(OutboxMessage.sent_at).desc())
        .limit(limit)
    )
    return list(session.exec(statement).all())
