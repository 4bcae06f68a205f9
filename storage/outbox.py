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


def recent_sends(*, session: Session, target: str, since: datetime, limit: int, excluding: int) -> list[datetime]:
    """When the latest messages to `target` after `since` were sent (row `excluding` left out), newest first, at most `limit`.

    A row sent as several parts counts once per part, all at its latest part's time (never too few).
    """
    statement = (
        select(OutboxMessage.sent_at, OutboxMessage.parts_sent)
        .where(OutboxMessage.target == target, col(OutboxMessage.sent_at) > since, OutboxMessage.id != excluding)
        .order_by(col(OutboxMessage.sent_at).desc())
        .limit(limit)
    )
    return [sent_at for sent_at, parts in session.exec(statement).all() for _ in range(max(parts, 1))][:limit]
