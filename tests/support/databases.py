"""The databases tests run on: a SQLite file always, and PostgreSQL when BOT_TEST_DATABASE_URL names one."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

POSTGRES_URL = os.environ.get("BOT_TEST_DATABASE_URL", "")
ENGINES = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]


@contextmanager
def postgres_schema(base_url: str) -> Iterator[str]:
    """A throw-away schema on the test PostgreSQL, reached through the connection's search_path."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        yield make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


@contextmanager
def engines_disposed() -> Iterator[list[Engine]]:
    """Every engine that connects inside the block is disposed at its end, closing its pooled connections.

    Tests build bots (and engines) freely; an engine dropped with connections in its pool leaves them to the garbage
    collector, and psycopg warns about each (ResourceWarning) in whichever later test the collection happens.
    """
    engines: list[Engine] = []

    def record(connection) -> None:
        if connection.engine not in engines:
            engines.append(connection.engine)

    event.listen(Engine, "engine_connect", record)
    try:
        yield engines
    finally:
        event.remove(Engine, "engine_connect", record)
        for engine in engines:
            engine.dispose()
