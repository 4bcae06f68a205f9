"""Migrations: a fresh database, a pre-migration one with data, and models that match the migrations."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import Session, SQLModel, select

from bot.runtime import build_bot
from storage.engine import make_engine
from storage.migrate import alembic_config, current_revision, upgrade
from storage.models import Report, ReportRevision
from tests.support.config import make_config, shanghai
from tests.support.factories import ANSWERS


def head() -> str:
    with make_engine("sqlite://").connect() as connection:
        return ScriptDirectory.from_config(alembic_config(connection)).get_current_head()


def test_a_fresh_database_is_brought_to_head(db_url):
    engine = make_engine(db_url)
    upgrade(engine)
    assert current_revision(engine) == head()


def test_the_models_match_the_migrations(db_url):
    """A model change without its migration fails here."""
    engine = make_engine(db_url)
    upgrade(engine)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), SQLModel.metadata)
    assert diff == []


def first_schema(engine, *, versioned: bool) -> None:
    """The schema of migration 0001; without its version row it is a database made by create_all before migrations."""
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0001")
        if not versioned:
            connection.exec_driver_sql("DROP TABLE alembic_version")


@pytest.mark.parametrize("versioned", [True, False], ids=["from-0001", "made-before-migrations"])
def test_an_older_database_is_upgraded_at_start_and_keeps_its_reports(db_url, messenger, clock, versioned):
    engine = make_engine(db_url)
    first_schema(engine, versioned=versioned)
    with engine.begin() as connection:
        old_report(connection, "jinghong", "2026-W47", shanghai(2026, 11, 20, 9))
    bot = build_bot(make_config(db_url), messenger=messenger, clock=clock)
    assert current_revision(bot.engine) == head() != "0001"
    with Session(bot.engine) as session:
        assert [(r.unit_id, r.week, r.on_time) for r in session.exec(select(Report))] == [("jinghong", "2026-W47", True)]
        assert [(r.summary, r.via) for r in session.exec(select(ReportRevision))] == [("简介", "wecom")]  # sent before WeChat was a channel


def old_report(connection, unit_id: str, week: str, at) -> None:
    """A unit and its report as the schema of 0001 stored them (the models of today have columns it lacks)."""
    table = {name: sa.Table(name, sa.MetaData(), autoload_with=connection) for name in ("unit", "report", "reportrevision")}
    connection.execute(table["unit"].insert(), {"id": unit_id, "name": "景洪市人民法院", "group_id": unit_id, "active": True})
    report = {"unit_id": unit_id, "week": week, "current_revision": 1, "first_submitted_at": at, "on_time": True}
    report_id = connection.execute(table["report"].insert(), report).inserted_primary_key[0]
    revision = {"report_id": report_id, "number": 1, "submitted_by": "jh1", "submitted_at": at, "on_time": True, "report_date": at.date()}
    connection.execute(table["reportrevision"].insert(), {**revision, "other": "", **ANSWERS})


def test_upgrading_twice_changes_nothing(db_url):
    engine = make_engine(db_url)
    upgrade(engine)
    upgrade(engine)
    assert current_revision(engine) == head()
