"""Conflict-tolerant inserts that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, SQLModel

_DIALECT_INSERT = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


def insert_if_absent(session: Session, model: type[SQLModel], **values) -> bool:
    """Insert a row unless one with the same unique key exists; True when this call inserted it."""
    table = model.__table__  # Core, not the ORM bulk-insert path: this runs on every message
    key = table.primary_key.columns.values()[0]
    # RETURNING, not rowcount: psycopg reports rowcount -1 for ON CONFLICT DO NOTHING here
    result = session.execute(dialect_insert(session)(table).values(**values).on_conflict_do_nothing().returning(key))
    return result.first() is not None


def dialect_insert(session: Session):
    """The INSERT construct of the session's database, which has ON CONFLICT on both engines."""
    return _DIALECT_INSERT[session.get_bind().dialect.name]
