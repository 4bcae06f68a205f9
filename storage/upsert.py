"""Conflict-tolerant inserts that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, SQLModel

DIALECT_INSERT = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}  # both have ON CONFLICT and RETURNING


def dialect_of(session: Session) -> str:
    """"sqlite" or "postgresql": prebuilt statements are cached per dialect."""
    return session.get_bind().dialect.name


def insert_if_absent(session: Session, model: type[SQLModel], **values) -> bool:
    """Insert a row unless one with the same unique key exists; True when this call inserted it."""
    statement = insert_ignoring_conflicts(dialect_of(session), model.__table__)
    return session.execute(statement, values).first() is not None


def insert_absent(session: Session, model: type[SQLModel], rows: Sequence[dict[str, Any]]) -> list[Any]:
    """Insert in one statement the rows whose unique keys are free; the primary keys of those this call inserted."""
    if not rows:
        return []
    statement = insert_ignoring_conflicts(dialect_of(session), model.__table__)
    return list(session.execute(statement, list(rows)).scalars())


@cache
def insert_ignoring_conflicts(dialect: str, table: Table):
    """An insert that skips rows whose unique key is taken and returns the primary keys it inserted; built once per table.

    RETURNING rather than rowcount: psycopg reports rowcount -1 for ON CONFLICT DO NOTHING.
    """
    key = table.primary_key.columns.values()[0]
    return DIALECT_INSERT[dialect](table).on_conflict_do_nothing().returning(key)


def upsert(session: Session, model: type[SQLModel], **values) -> None:
    """Insert a row, or overwrite the stored row with the same primary key."""
    upsert_rows(session, model, [values])


def upsert_rows(session: Session, model: type[SQLModel], rows: Sequence[dict[str, Any]]) -> None:
    """Insert each row, or overwrite the stored row with its primary key, in one statement (every column given)."""
    if rows:
        session.execute(_insert_or_update(dialect_of(session), model.__table__), list(rows))


@cache
def _insert_or_update(dialect: str, table: Table):
    """Built once per table, with every column a bound parameter, so each call skips building and compiling."""
    insert = DIALECT_INSERT[dialect](table)
    key = list(table.primary_key.columns)
    updated = {column.name: insert.excluded[column.name] for column in table.columns if column not in key}
    return insert.on_conflict_do_update(index_elements=key, set_=updated)
