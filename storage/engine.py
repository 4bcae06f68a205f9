"""Engine and sessions: SQLite (WAL, busy timeout, immediate writes) by default, PostgreSQL in production."""

from __future__ import annotations

import fcntl
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from weakref import WeakKeyDictionary

from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlmodel import Session, create_engine

from storage.driver import run_on_driver


class SqliteWriter:
    """The one writer of a SQLite file: a thread lock in this process and an flock on `<file>.lock` across processes.

    SQLite's own busy handler sleeps in steps of up to 100 ms, which turns contention into long stalls;
    a thread or a process waiting here is woken the moment the lock is free. Re-entrant in a thread, so
    a process preparing the database (`storage.migrate.one_start_at_a_time`) may write inside it. The lock
    file is opened at the first hold and closed with the writer: opening it per hold cost every message 15 µs.
    """

    def __init__(self, database: str | None):
        self._thread = threading.RLock()
        self._depth = threading.local()
        self._path = Path(f"{database}.lock") if database and database != ":memory:" else None
        self._file = None

    def __enter__(self) -> None:
        self._thread.acquire()
        depth = getattr(self._depth, "value", 0)
        self._depth.value = depth + 1
        if depth == 0 and self._path is not None:
            fcntl.flock(self._lock_file(), fcntl.LOCK_EX)

    def __exit__(self, *exc) -> None:
        self._depth.value -= 1
        if self._depth.value == 0 and self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
        self._thread.release()

    def _lock_file(self):
        if self._file is None:
            self._file = self._path.open("a")
            weakref.finalize(self, self._file.close)
        return self._file


_SQLITE_WRITERS: WeakKeyDictionary[Engine, SqliteWriter] = WeakKeyDictionary()


def make_engine(url: str) -> Engine:
    """An engine for `url`; for a SQLite file, its folder is created on first run."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        engine = create_engine(url)
        ping_when_idle(engine)
        return engine
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 5})
    _use_wal_and_immediate_transactions(engine)
    _SQLITE_WRITERS[engine] = SqliteWriter(parsed.database)
    return engine


IDLE_BEFORE_PING = 5.0  # seconds a pooled connection may rest before it is pinged on checkout


def ping_when_idle(engine: Engine, idle: float = IDLE_BEFORE_PING, clock: Callable[[], float] = time.monotonic) -> None:
    """SQLAlchemy's pre-ping, only for a connection that has rested in the pool longer than `idle`.

    A connection that a restart or a firewall cut while it rested is found out and replaced before use (the pool
    tries another when a checkout listener raises DisconnectionError). pool_pre_ping pinged on every checkout:
    two more round trips and a sixth of a message's CPU on PostgreSQL, for a connection used a moment ago. One
    lost while in use fails its statement and makes the pool drop every older connection, pinged or not.
    """

    @event.listens_for(engine, "connect")
    @event.listens_for(engine, "checkin")
    def _rested_since(_dbapi_connection, record) -> None:
        record.info["rested_since"] = clock()

    @event.listens_for(engine, "checkout")
    def _ping_if_rested(dbapi_connection, record, _proxy) -> None:
        if clock() - record.info.get("rested_since", float("-inf")) <= idle:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as exc:
            raise DisconnectionError(f"connection lost while it rested: {exc}") from exc


def sqlite_writer(engine: Engine) -> SqliteWriter | None:
    """The writer lock of a SQLite engine made by make_engine; None for PostgreSQL."""
    return _SQLITE_WRITERS.get(engine)


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
        run_on_driver(connection, "BEGIN IMMEDIATE")


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back on any exception.

    On SQLite, threads and processes queue for the single writer on its SqliteWriter.
    """
    with _SQLITE_WRITERS.get(engine, nullcontext()), Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
