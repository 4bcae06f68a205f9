"""Fixtures: a temp SQLite bot per test, a settable clock, a recording messenger, the Flask client, a fake WeCom server;
a bot with the WeChat official account's channel on, the fake WeChat API it sends to, and WeChat posting to it.

Around every test: the network guard (loopback only) and the disposal of the engines it connected.
The helpers all of these are built from live in tests/support/.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial

import pytest

from bot.app import create_app
from bot.messengers import WeComMessenger
from bot.outbound import Channels
from bot.runtime import build_bot, run_inline
from bot.wechat_api import WeChatMessenger
from tests.support.chat import Chat
from tests.support.config import make_config, shanghai, wecom_config
from tests.support.databases import ENGINES, POSTGRES_URL, engines_disposed, postgres_schema
from tests.support.fake_wechat import FakeWeChat
from tests.support.fake_wecom import FakeWeCom
from tests.support.fakes import FakeClock, FakeMessenger, FakeSleep
from tests.support.network import LoopbackOnly
from tests.support.wechat_sim import bound, wechat_for, wechat_settings
from tests.support.wecom_sim import WeComSim


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    """Every test: a connection off this machine is refused, and fails the test even if the code caught the error."""
    guard = LoopbackOnly()
    guard.install(monkeypatch)
    yield guard
    if guard.refused:
        pytest.fail(f"connections off this machine were attempted: {', '.join(guard.refused)}", pytrace=False)


@pytest.fixture(autouse=True)
def dispose_engines():
    """Every test: the database engines it connected are disposed afterwards (see engines_disposed)."""
    with engines_disposed() as engines:
        yield engines


@pytest.fixture(params=ENGINES)
def db_url(request, tmp_path):
    """A fresh database per test: a SQLite file, or (with BOT_TEST_DATABASE_URL) a PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/bot.db"
        return
    with postgres_schema(POSTGRES_URL) as url:
        yield url


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
    return create_app(bot)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def wecom(client, clock):
    return WeComSim(client, now=lambda: clock().timestamp())


@pytest.fixture
def jh1(wecom):
    """A member of 景洪市人民法院 talking to the bot."""
    return Chat(wecom, "jh1")


@pytest.fixture
def fake_wecom():
    """A fake WeCom HTTP API on 127.0.0.1 (see tests/support/fake_wecom.py)."""
    with FakeWeCom() as server:
        yield server


@pytest.fixture
def wecom_bot(fake_wecom, tmp_path, db_url, clock):
    """A bot on `db_url` whose pushes go to the fake WeCom server: group robots, app group chats, app messages."""
    config = wecom_config(fake_wecom, tmp_path)
    config = replace(config, storage=replace(config.storage, url=db_url))
    return build_bot(config, messenger=WeComMessenger(config), clock=clock, background=run_inline, sleep=FakeSleep(clock))


@pytest.fixture
def fake_wechat(clock):
    """A fake WeChat official-account API on 127.0.0.1 (see tests/support/fake_wechat.py), on the test's clock."""
    with FakeWeChat(now=lambda: clock().timestamp()) as server:
        yield server


@pytest.fixture
def wechat_bot(db_url, messenger, clock, fake_wechat):
    """A bot with the official account's channel on (safe mode): WeCom's sends recorded by `messenger`, WeChat's to the fake API."""
    config = make_config(db_url, wechat=wechat_settings(fake_wechat))
    messengers = Channels(messenger, WeChatMessenger(config.wechat))
    return build_bot(config, messenger=messengers, clock=clock, background=run_inline, sleep=FakeSleep(clock))


@pytest.fixture
def wechat(wechat_bot, fake_wechat):
    """WeChat posting followers' messages to `wechat_bot`'s callback, telling the fake API when each wrote."""
    return wechat_for(wechat_bot, fake_wechat)


@pytest.fixture
def bind(wechat, wechat_bot):
    """bind(userid[, openid]) binds a follower of `wechat` to the member as they would; their openid."""
    return partial(bound, wechat_bot, wechat)
