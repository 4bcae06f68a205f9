"""Engine and sessions: SQLite (WAL, busy timeout, immediate writes) by default, PostgreSQL in production."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from weakref import WeakKeyDictionary

from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from sqlmodel import Session, create_engine

_SQLITE_WRITERS: WeakKeyDictionary[Engine, threading.RLock] = WeakKeyDictionary()


def make_engine(url: str) -> Engine:
    """An engine for `url`; for a SQLite file, its folder is created on first run."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 5})
    _use_wal_and_immediate_transactions(engine)
    _SQLITE_WRITERS[engine] = threading.RLock()
    return engine


def _use_wal_and_immediate_transactions(engine: Engine) -> None:
    """WAL lets readers run beside a writer; BEGIN IMMEDIATE takes the write lock up front.

    Under WAL a deferred transaction that reads and then writes fails at once when another
    writer committed in between, busy timeout or not (SQLAlchemy's pysqlite recipe).
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back on any exception.

    On SQLite the process's threads queue for the single writer on a lock: SQLite's own busy
    handler sleeps in steps of up to 100 ms, which turns contention between threads into
    long stalls. Other processes still meet the busy timeout.
    """
    with _SQLITE_WRITERS.get(engine, nullcontext()), Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
