"""Fixtures: a temp SQLite bot per test, a settable clock, a recording messenger, the Flask client."""

from __future__ import annotations

import copy
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.app import create_app
from bot.runtime import build_bot, run_inline
from common.clock import FakeClock
from common.config_loader import config_from_dict
from common.messaging import FakeMessenger
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


@pytest.fixture
def db_url(tmp_path):
    return f"sqlite:///{tmp_path}/bot.db"


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
    return build_bot(config, messenger=messenger, clock=clock, background=run_inline)


@pytest.fixture
def app(bot):
    return create_app(bot=bot)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def wecom(client, clock):
    return WeComSim(client, now=lambda: clock().timestamp())
