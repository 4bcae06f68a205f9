"""Conversation state: one row per user, written after every accepted answer."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import Session, select

from storage.models import Conversation


def load_conversation(*, session: Session, user_id: str) -> Conversation | None:
    """The user's open conversation, locked for this transaction where the database supports it."""
    statement = select(Conversation).where(Conversation.user_id == user_id).with_for_update()
    return session.exec(statement).first()


def save_conversation(*, session: Session, user_id: str, form: str, state: dict, now: datetime) -> None:
    row = session.get(Conversation, user_id)
    if row is None:
        session.add(Conversation(user_id=user_id, form=form, state=state, updated_at=now))
    else:
        row.form, row.state, row.updated_at = form, dict(state), now
        flag_modified(row, "state")
    session.flush()


def end_conversation(*, session: Session, user_id: str) -> None:
    row = session.get(Conversation, user_id)
    if row is not None:
        session.delete(row)
        session.flush()
