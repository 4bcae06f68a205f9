"""Faults: a killed web process, an unreachable database. Nothing stored is lost; users get clear Chinese."""

from __future__ import annotations

from sqlalchemy import create_engine

from bot.runtime import BUSY
from tests.chat import Chat
from tests.live_server import BotProcess, HttpClient, free_port, write_config
from tests.wecom_sim import WeComSim


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
    working = bot.engine
    bot.engine = create_engine("postgresql+psycopg://postgres@127.0.0.1:1/none", connect_args={"connect_timeout": 2})
    assert chat.say("举措") == BUSY
    bot.engine = working
    assert "（2/8）" in chat.say("继续")  # the lost message was never claimed, so nothing half-stored

