"""Dedupe of WeCom callbacks: a message id is claimed once, inside the transaction that handles it, and keeps its reply.

The idempotency-key pattern of payment APIs: a retry of a handled message (WeCom re-sends when an
answer is lost) is answered with the stored reply, and nothing is done twice.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, delete, select, update
from sqlmodel import Session

from storage.driver import DriverStatement
from storage.models import ProcessedMessage
from storage.upsert import insert_ignoring_conflicts

_TABLE = ProcessedMessage.__table__
_CLAIM = DriverStatement(lambda dialect: insert_ignoring_conflicts(dialect, _TABLE))
_REMEMBER = DriverStatement(lambda _dialect: update(_TABLE).where(_TABLE.c.key == bindparam("claimed")).values(reply=bindparam("given")))


def claim_message(*, session: Session, key: str, now: datetime) -> bool:
    """True for the first claim of `key`; a concurrent duplicate waits for it and then gets False."""
    return bool(_CLAIM.rows(session, {"key": key, "handled_at": now, "reply": None}))


def remember_reply(*, session: Session, key: str, reply: str) -> None:
    """Keep the passive reply given to `key`, in the transaction that claimed it."""
    _REMEMBER.rows(session, {"claimed": key, "given": reply})


def stored_reply(*, session: Session, key: str) -> str | None:
    """The passive reply given to a handled message, or None when it had none."""
    return session.execute(select(ProcessedMessage.reply).where(ProcessedMessage.key == key)).scalar_one_or_none()


def forget_messages(*, session: Session, before: datetime) -> int:
    """Drop dedupe rows older than `before`: WeCom retries within seconds, so old ids only take space."""
    return session.execute(delete(ProcessedMessage).where(ProcessedMessage.handled_at < before)).rowcount
