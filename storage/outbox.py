"""The outbox: every push is written here first, under an idempotency key, and delivered by a sender."""

from __future__ import annotations

from datetime import datetime
from typing import Sequence

from sqlmodel import Session, col, select

from storage.models import OutboxMessage
from storage.upsert import insert_if_absent


def enqueue(
    *, session: Session, key: str, kind: str, target: str, text: str, now: datetime, mention: Sequence[str] = ()
) -> bool:
    """Queue one push ("group" or "users" kind); False when the key was queued before (nothing new to send)."""
    return insert_if_absent(
        session,
        OutboxMessage,
        key=key,
        kind=kind,
        target=target,
        text=text,
        mention=list(mention),
        status="pending",
        attempts=0,
        last_error="",
        created_at=now,
        next_attempt_at=now,
    )


def recent_sends(*, session: Session, target: str, since: datetime, limit: int) -> list[datetime]:
    """When the latest pushes to `target` after `since` were sent, newest first, at most `limit` of them."""
    statement = (
        select(OutboxMessage.sent_at)
        .where(OutboxMessage.target == target, OutboxMessage.status == "sent", col(OutboxMessage.sent_at) > since)
        .order_by(col(OutboxMessage.sent_at).desc())
        .limit(limit)
    )
    return list(session.exec(statement).all())
