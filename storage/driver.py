"""The statements every message makes, and a weekly report's reads, run on the database driver's own cursor.

`Connection.execute` spends about 80 µs of Python on a statement (execution context, events, result
wrapping) where sqlite3 runs it in 15 µs; over the five statements a message makes, that was more than
half of what the bot adds to decrypting and answering (bench.webhook). A `DriverStatement` is a Core
statement compiled once per dialect. It converts parameters and results with the columns' own SQLAlchemy
types and raises SQLAlchemy's exceptions (a lost connection is invalidated first), so its callers see what
`Connection.execute` would give them. Nothing pending in the session is flushed first: use it for tables
the ORM has not touched in the transaction, or after a flush.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.expression import Executable
from sqlmodel import Session

Convert = Callable[[Any], Any] | None


@dataclass(frozen=True)
class _Compiled:
    sql: str
    positional: bool  # sqlite3's qmark paramstyle takes a tuple; psycopg's pyformat a dict
    binds: tuple[tuple[str, Convert], ...]  # each parameter's name and converter, in the order a positional paramstyle takes them
    fixed: dict[str, Any]  # values the statement carries itself (the 0 and 1 of `coalesce(max(turn), 0) + 1`)
    results: tuple[Convert, ...]

    def parameters(self, values: dict[str, Any]) -> Sequence[Any] | dict[str, Any]:
        values = self.fixed | values if self.fixed else values
        converted = ((name, convert(values[name]) if convert else values[name]) for name, convert in self.binds)
        return tuple(value for _, value in converted) if self.positional else dict(converted)

    def row(self, raw: Sequence[Any]) -> tuple:
        return tuple(convert(value) if convert else value for convert, value in zip(self.results, raw, strict=True))


class DriverStatement:
    """A Core statement, built by `build(dialect_name)` and compiled on first use with each dialect."""

    def __init__(self, build: Callable[[str], Executable]):
        self._build = build
        self._compiled: dict[str, _Compiled] = {}

    def rows(self, session: Session, values: dict[str, Any]) -> list[tuple]:
        """Run in the session's transaction; the rows it returns (none for a statement without RETURNING)."""
        connection = session.connection()
        compiled = self._compiled.get(connection.dialect.name) or self._compile(connection.dialect)
        parameters = compiled.parameters(values)
        return [compiled.row(raw) for raw in run_on_driver(connection, compiled.sql, parameters, fetch=bool(compiled.results))]

    def _compile(self, dialect: Dialect) -> _Compiled:
        statement = self._build(dialect.name)
        compiled = statement.compile(dialect=dialect)
        converters = {name: _converter(bind.type, dialect, "bind") for bind, name in compiled.bind_names.items()}
        binds = tuple((name, converters[name]) for name in (compiled.positiontup if compiled.positional else converters))
        fixed = {name: bind.effective_value for bind, name in compiled.bind_names.items() if not bind.required}
        results = tuple(_converter(column.type, dialect, "result") for column in getattr(statement, "exported_columns", ()))
        self._compiled[dialect.name] = made = _Compiled(compiled.string, compiled.positional, binds, fixed, results)
        return made


def _converter(type_, dialect: Dialect, way: str) -> Convert:
    impl = type_.dialect_impl(dialect)
    return impl.bind_processor(dialect) if way == "bind" else impl.result_processor(dialect, None)


def run_on_driver(connection: Connection, sql: str, parameters: Sequence[Any] | dict[str, Any] = (), *, fetch: bool = False) -> list[Sequence[Any]]:
    """`sql` as the driver takes it, on `connection`'s DBAPI connection; its rows if `fetch`, and SQLAlchemy's exceptions on failure.

    The caller says whether rows come back: asking the cursor (its `description`) made psycopg build a
    column description for every statement, about a tenth of the statement's time.
    """
    dialect = connection.dialect
    dbapi_connection = connection.connection.dbapi_connection
    cursor = None
    try:
        cursor = dbapi_connection.cursor()
        cursor.execute(sql, parameters)
        rows = cursor.fetchall() if fetch else []
        cursor.close()
        return rows
    except dialect.loaded_dbapi.Error as exc:
        lost = dialect.is_disconnect(exc, dbapi_connection, cursor)
        if lost:
            connection.invalidate(exc)
        raise DBAPIError.instance(sql, parameters, exc, dialect.loaded_dbapi.Error, connection_invalidated=lost, dialect=dialect) from exc
