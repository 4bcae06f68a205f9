"""Faults: a killed web process, an unreachable database. Nothing stored is lost; users get clear Chinese."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from sqlalchemy import create_engine

from bot.messengers import WeComMessenger
from bot.runtime import BUSY, build_bot, run_inline
from tests.support.chat import Chat
from tests.support.config import shanghai, wecom_config
from tests.support.fake_wecom import FakeWeCom
from tests.support.live_server import BotProcess, HttpClient, free_port, write_config
from tests.support.scheduling import outbox, service_for
from tests.support.wecom_sim import WeComSim, wecom_for


def test_kill_9_mid_conversation_then_restart_continues_at_the_same_field(tmp_path, db_url):
    port = free_port()
    config = write_config(tmp_path, port=port, db_url=db_url)
    server = BotProcess(config, "serve", port=port)
    try:
        server.wait_healthy()
        chat = Chat(WeComSim(HttpClient(server.base_url)), "jh_reporter")
        chat.say("周报")
        assert "（3/8）" in chat.say_all("简介", "举措")
        server.kill_9()
        server = BotProcess(config, "serve", port=port)
        server.wait_healthy()
        chat = Chat(WeComSim(HttpClient(server.base_url)), "jh_reporter")
        assert "（3/8）" in chat.say("继续")
        assert "（4/8）" in chat.say("做法")
    finally:
        server.stop()


def test_database_unreachable_answers_busy_and_keeps_the_draft(wecom, bot):
    chat = Chat(wecom, "jh1")
    chat.say("周报")
    chat.say("简介")
    unreachable = create_engine("postgresql+psycopg://postgres@127.0.0.1:1/none", connect_args={"connect_timeout": 2})
    assert Chat(wecom_for(replace(bot, engine=unreachable)), "jh1").say("举措") == BUSY
    assert "（2/8）" in chat.say("继续")  # the lost message was never claimed, so nothing half-stored



def test_wecom_down_during_friday_overdue_loses_nothing_and_sends_once_when_back(tmp_path, clock):
    """Connection refused, then HTTP 502, then errcode -1: every alert arrives exactly once."""
    with FakeWeCom() as first:
        config = wecom_config(first, tmp_path)
        port = first.port
    clock.set(shanghai(2026, 11, 27, 12, 5))
    bot = build_bot(config, messenger=WeComMessenger(config), clock=clock, background=run_inline)
    service = service_for(bot, clock)
    result, delivery = service.run_now("friday_overdue")  # WeCom refuses connections
    assert result.queued == delivery.retrying == 6 and delivery.sent == 0  # the office's texts and workbooks, the units' alerts
    with FakeWeCom(port=port, failures=[(502, None), (200, {"errcode": -1, "errmsg": "busy"})]) as back:
        clock.advance(minutes=1)
        assert service.deliver().sent == 6
        assert service.deliver().sent == 0
        assert service.run_now("friday_overdue")[0].queued == 0
        robot_posts = Counter(c.query["key"] for c in back.calls_to("webhook/send") if c.ok)
        chats = [c.body["chatid"] for c in back.calls_to("appchat/send") if c.ok]
        refused = [c for c in back.calls if not c.ok]
    assert robot_posts == {"office": 2, "enf": 2, "jh": 1}  # a text and a file each to the office groups, once each
    assert chats == ["chat-mengla"]
    assert len(refused) == 2  # the 502 and the errcode -1 met whichever calls came first, which were tried again
    assert {r.status for r in outbox(bot)} == {"sent"}
