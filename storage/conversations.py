"""Drafts: one row per user and form, written after every accepted answer.

Loading and saving run on the driver (storage.driver): every message does one or both.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import bindparam, delete, func, select
from sqlmodel import Session

from storage.driver import DriverStatement
from storage.models import Conversation
from storage.upsert import DIALECT_INSERT

_TABLE = Conversation.__table__
_LOAD = DriverStatement(
    lambda _dialect: select(_TABLE.c.form, _TABLE.c.state).where(_TABLE.c.user_id == bindparam("user_id")).order_by(_TABLE.c.turn.desc()).with_for_update()
)


class OpenConversation(NamedTuple):
    user_id: str
    form: str
    state: dict


def load_conversations(*, session: Session, user_id: str) -> list[OpenConversation]:
    """The user's open drafts, the last one touched first, locked for this transaction where the database supports it."""
    return [OpenConversation(user_id, form, state) for form, state in _LOAD.rows(session, {"user_id": user_id})]


def save_conversation(*, session: Session, user_id: str, form: str, state: dict, now: datetime) -> None:
    """Store the draft as the one in use: its turn is one past the user's highest (clocks may tie; turns do not)."""
    _SAVE.rows(session, {"user_id": user_id, "form": form, "state": dict(state), "updated_at": now})


def _save(dialect: str):
    """An upsert whose turn comes from the user's other drafts in the same statement; built once per dialect."""
    latest = select(func.coalesce(func.max(_TABLE.c.turn), 0) + 1).where(_TABLE.c.user_id == bindparam("user_id")).scalar_subquery()
    values = {"user_id": bindparam("user_id"), "form": bindparam("form"), "state": bindparam("state"), "updated_at": bindparam("updated_at")}
    insert = DIALECT_INSERT[dialect](_TABLE).values(**values, turn=latest)
    changed = {name: insert.excluded[name] for name in ("state", "updated_at", "turn")}
    return insert.on_conflict_do_update(index_elements=[_TABLE.c.user_id, _TABLE.c.form], set_=changed)


_SAVE = DriverStatement(_save)


def end_conversation(*, session: Session, user_id: str, form: str) -> None:
    session.execute(delete(_TABLE).where(_TABLE.c.user_id == user_id, _TABLE.c.form == form))
