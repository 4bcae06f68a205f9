"""Schema migrations (Alembic): bring any older database up to date without touching stored rows."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

MIGRATIONS = Path(__file__).with_name("migrations")
BASELINE = "0001"  # the schema that create_all made before migrations existed
_PG_LOCK = 7_352_001  # any constant: serialises upgrades of processes starting together


def upgrade(engine: Engine) -> None:
    """Apply every pending migration; a pre-migration database is stamped as the baseline first."""
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_LOCK})")
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
