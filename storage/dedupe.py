"""Dedupe of WeCom callbacks: a message id is claimed once, inside the transaction that handles it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlmodel import Session

from storage.models import ProcessedMessage
from storage.upsert import insert_if_absent


def claim_message(*, session: Session, key: str, now: datetime) -> bool:
    """True for the first claim of `key`; a concurrent duplicate waits for it and then gets False."""
    return insert_if_absent(session, ProcessedMessage, key=key, handled_at=now)


def forget_messages(*, session: Session, before: datetime) -> int:
    """Drop dedupe rows older than `before`: WeCom retries within seconds, so old ids only take space."""
    return session.execute(delete(ProcessedMessage).where(ProcessedMessage.handled_at < before)).rowcount
