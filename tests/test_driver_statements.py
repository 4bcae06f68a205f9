"""Statements run on the driver (storage.driver): the same values and the same exceptions as SQLAlchemy's own path."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session

from bot.runtime import BUSY
from bot.server import OncePerInterval
from storage.conversations import load_conversations, save_conversation
from storage.dedupe import claim_message, remember_reply, stored_reply
from storage.engine import ping_when_idle, session_scope
from storage.models import Conversation
from storage.units import unit_of
from tests.support.chat import Chat
from tests.support.config import shanghai
from tests.support.databases import POSTGRES_URL

STATE = {"answers": {"summary": "简介：执行“猎狐”行动，‘含引号’ 与 %s %(x)s ?"}, "step": 3, "articles": [{"url": "https://a/b?c=1&d=%20"}]}


def test_a_draft_saved_on_the_driver_reads_back_whole_through_the_orm_and_the_driver(bot):
    at = shanghai(2026, 11, 25, 10, 0, 7)
    with session_scope(bot.engine) as session:
        save_conversation(session=session, user_id="jh1", form="weekly", state=STATE, now=at)
        save_conversation(session=session, user_id="jh1", form="notice", state={"step": 1}, now=at)
    with Session(bot.engine) as session:
        row = session.get(Conversation, ("jh1", "weekly"))
        assert row.state == STATE and row.updated_at == at
        assert [(c.form, c.state) for c in load_conversations(session=session, user_id="jh1")] == [("notice", {"step": 1}), ("weekly", STATE)]


def test_a_claim_is_taken_once_and_keeps_its_reply(bot):
    at = shanghai(2026, 11, 25, 10, 0)
    with session_scope(bot.engine) as session:
        assert claim_message(session=session, key="msg:1", now=at)
        assert not claim_message(session=session, key="msg:1", now=at)
        remember_reply(session=session, key="msg:1", reply="已收到：简介")
    with session_scope(bot.engine) as session:
        assert not claim_message(session=session, key="msg:1", now=at)
        assert stored_reply(session=session, key="msg:1") == "已收到：简介"
        assert unit_of(session=session, user_id="jh1").name == "景洪市人民法院"
        assert unit_of(session=session, user_id="nobody") is None


def test_a_driver_error_is_raised_as_sqlalchemys_with_the_drivers_own_inside(bot):
    with session_scope(bot.engine) as session:
        session.execute(text("DROP TABLE conversation"))
        with pytest.raises(DBAPIError) as raised:
            load_conversations(session=session, user_id="jh1")
    assert isinstance(raised.value.orig, bot.engine.dialect.loaded_dbapi.Error)
    assert "conversation" in str(raised.value)


def test_a_database_that_refuses_the_drivers_statement_is_told_as_busy_and_the_draft_waits(wecom, bot):
    chat = Chat(wecom, "jh1")
    chat.say("周报")
    with bot.engine.begin() as connection:
        connection.execute(text("ALTER TABLE processedmessage RENAME TO processedmessage_away"))
    is_sqlite = bot.engine.dialect.name == "sqlite"
    reply = chat.say("简介")
    assert reply == BUSY if is_sqlite else "系统出错" in reply  # SQLite calls a missing table operational, PostgreSQL a programming error
    with bot.engine.begin() as connection:
        connection.execute(text("ALTER TABLE processedmessage_away RENAME TO processedmessage"))
    assert "（1/8）" in chat.say("继续")


def _backend_of(connection) -> int:
    return connection.execute(text("SELECT pg_backend_pid()")).scalar_one()


def _terminate(engine, backend: int) -> None:
    with engine.connect() as other:
        other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})


def on_postgresql_only(test):
    """Connections to lose: SQLite has none. Skipped when no PostgreSQL is given."""
    test = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)(test)
    return pytest.mark.skipif(not POSTGRES_URL, reason="PostgreSQL: set BOT_TEST_DATABASE_URL")(test)


@on_postgresql_only
def test_a_lost_postgresql_connection_is_invalidated_and_told_as_operational(bot):
    with pytest.raises(OperationalError) as raised, session_scope(bot.engine) as session:
        _terminate(bot.engine, _backend_of(session))
        unit_of(session=session, user_id="jh1")
    assert raised.value.connection_invalidated
    with session_scope(bot.engine) as session:  # the pool gives a live connection again
        assert unit_of(session=session, user_id="jh1").name == "景洪市人民法院"


class Ticks:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@on_postgresql_only
def test_a_postgresql_connection_that_rested_is_pinged_and_replaced_one_just_used_is_not(db_url):
    ticks, engine, killer = Ticks(), create_engine(db_url), create_engine(db_url)
    ping_when_idle(engine, idle=5, clock=ticks)
    try:
        with engine.connect() as connection:
            rested = _backend_of(connection)
        _terminate(killer, rested)
        ticks.now += 6
        with engine.connect() as connection:  # pinged, found dead, replaced before use
            assert _backend_of(connection) != rested
            just_used = _backend_of(connection)
        _terminate(killer, just_used)
        ticks.now += 1
        with pytest.raises(OperationalError), engine.connect() as connection:  # not pinged: the loss shows at first use
            connection.execute(text("SELECT 1"))
    finally:
        engine.dispose()
        killer.dispose()


def test_waitress_queue_warnings_come_once_a_minute_with_a_count_of_those_held_back(caplog):
    ticks, logger = Ticks(), logging.getLogger("tests.queue")
    logger.addFilter(OncePerInterval(60, clock=ticks))
    with caplog.at_level(logging.WARNING, logger="tests.queue"):
        for depth in range(1, 6):
            logger.warning("Task queue depth is %d", depth)
            ticks.now += 10
        ticks.now += 20
        logger.warning("Task queue depth is %d", 9)
    assert [r.getMessage() for r in caplog.records] == [
        "Task queue depth is 1",
        "Task queue depth is 9 (4 such warnings in the last 60 s not shown)",
    ]
