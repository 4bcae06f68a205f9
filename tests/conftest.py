"""Fixtures: a temp SQLite bot per test, a settable clock, a recording messenger, the Flask client."""

from __future__ import annotations

import copy
import os
import uuid
from contextlib import contextmanager
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from bot.app import create_app
from bot.runtime import build_bot, run_inline
from common.config_loader import config_from_dict
from tests.support.fakes import FakeClock, FakeMessenger, FakeSleep
from tests.wecom_sim import AES_KEY, CORP_ID, TOKEN, WeComSim

SHANGHAI = ZoneInfo("Asia/Shanghai")

BASE_CONFIG = {
    "wecom": {"corp_id": CORP_ID, "agent_id": 1000002, "secret": "", "token": TOKEN, "encoding_aes_key": AES_KEY},
    "office": {"admins": ["admin1"], "groups": ["office", "enforcement"]},
    "groups": [
        {"id": "office", "webhook_url": "http://127.0.0.1:9/cgi-bin/webhook/send?key=office"},
        {"id": "enforcement", "webhook_url": "http://127.0.0.1:9/cgi-bin/webhook/send?key=enf"},
        {"id": "jinghong", "webhook_url": "http://127.0.0.1:9/cgi-bin/webhook/send?key=jh"},
        {"id": "mengla", "chat_id": "chat-mengla"},
    ],
    "units": [
        {"id": "jinghong", "name": "景洪市人民法院", "members": ["jh1", "jh2"], "group": "jinghong"},
        {"id": "mengla", "name": "勐腊县人民法院", "members": ["ml1"], "group": "mengla"},
    ],
}


def shanghai(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def make_config(db_url: str, **overrides):
    raw = copy.deepcopy(BASE_CONFIG)
    raw["storage"] = {"url": db_url}
    for section, values in overrides.items():
        if isinstance(values, dict):
            raw.setdefault(section, {}).update(values)
        else:
            raw[section] = values
    return config_from_dict(raw, source="test-config")


POSTGRES_URL = os.environ.get("BOT_TEST_DATABASE_URL", "")
ENGINES = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]


@pytest.fixture(params=ENGINES)
def db_url(request, tmp_path):
    """A fresh database per test: a SQLite file, or (with BOT_TEST_DATABASE_URL) a PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/bot.db"
        return
    with postgres_schema(POSTGRES_URL) as url:
        yield url


@contextmanager
def postgres_schema(base_url: str):
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


@pytest.fixture
def clock():
    return FakeClock(shanghai(2026, 11, 25, 10, 0))  # a Wednesday of 2026-W48


@pytest.fixture
def messenger():
    return FakeMessenger()


@pytest.fixture
def config(db_url):
    return make_config(db_url)


@pytest.fixture
def bot(config, messenger, clock):
    return build_bot(config, messenger=messenger, clock=clock, background=run_inline, sleep=FakeSleep(clock))


@pytest.fixture
def app(bot):
    return create_app(bot=bot)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def wecom(client, clock):
    return WeComSim(client, now=lambda: clock().timestamp())
