"""Schema migrations (Alembic): bring any older database up to date without touching stored rows."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from storage.engine import sqlite_writer

MIGRATIONS = Path(__file__).with_name("migrations")
BASELINE = "0001"  # the schema that create_all made before migrations existed
_PG_LOCK = 7_352_001  # any constant: serialises the start of processes starting together


@contextmanager
def one_start_at_a_time(engine: Engine) -> Iterator[None]:
    """Held while a process prepares the database (migrations, config sync): workers started together take turns.

    The first migrates; the others find the schema at head. Without it two workers on a fresh SQLite
    file meet `database is locked` in `PRAGMA journal_mode=WAL` (SQLite answers that at once, busy
    timeout or not), and on PostgreSQL two config syncs insert the same units. SQLite: its writer lock
    (an flock on a file beside the database); PostgreSQL: a session advisory lock. Both are released by
    the operating system or the server if the process dies holding them.
    """
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql(f"SELECT pg_advisory_lock({_PG_LOCK})")
            try:
                yield
            finally:
                connection.exec_driver_sql(f"SELECT pg_advisory_unlock({_PG_LOCK})")
        return
    with sqlite_writer(engine) or nullcontext():
        yield


def upgrade(engine: Engine) -> None:
    """Apply every pending migration; a pre-migration database is stamped as the baseline first.

    Processes that may start together call it inside `one_start_at_a_time`.
    """
    with engine.begin() as connection:
        config = alembic_config(connection)
        if _unversioned_but_populated(connection):
            command.stamp(config, BASELINE)
        command.upgrade(config, "head")


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def alembic_config(connection) -> AlembicConfig:
    """Alembic settings for this package's migrations, run on `connection` (no alembic.ini)."""
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _unversioned_but_populated(connection) -> bool:
    tables = set(inspect(connection).get_table_names())
    return "unit" in tables and "alembic_version" not in tables
