"""Conflict-tolerant inserts that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any, Sequence

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, SQLModel

_DIALECT_INSERT = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


def insert_if_absent(session: Session, model: type[SQLModel], **values) -> bool:
    """Insert a row unless one with the same unique key exists; True when this call inserted it."""
    return insert_absent(session, model, [values]) == 1


def insert_absent(session: Session, model: type[SQLModel], rows: Sequence[dict[str, Any]]) -> int:
    """Insert in one statement the rows whose unique keys are free; how many this call inserted."""
    if not rows:
        return 0
    insert = _DIALECT_INSERT[session.get_bind().dialect.name]
    key = model.__table__.primary_key.columns.values()[0]
    # RETURNING, not rowcount: psycopg reports rowcount -1 for ON CONFLICT DO NOTHING here
    result = session.execute(insert(model.__table__).on_conflict_do_nothing().returning(key), list(rows))
    return len(result.all())
