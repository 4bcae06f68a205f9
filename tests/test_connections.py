"""`serve` under hundreds of idle or half-sent connections: health checks and signed messages still answer promptly."""

from __future__ import annotations

import socket
import time
from contextlib import ExitStack

import pytest
import requests

from tests.support.live_server import BotProcess, HttpClient, free_port, write_config
from tests.support.wecom_sim import WeComSim

IDLE_CONNECTIONS = 500
PROMPT_SECONDS = 3  # well inside WeCom's 5 s


@pytest.fixture
def served(tmp_path):
    """Start `python -m bot serve` on the example config with some of its lines changed; stopped when the test ends."""
    processes = []

    def start(old: str = "", new: str = "") -> BotProcess:
        port = free_port()
        config = write_config(tmp_path, port=port, db_url=f"sqlite:///{tmp_path}/bot-{port}.db")
        config.write_text(config.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
        process = BotProcess(config, "serve", "--no-scheduler", port=port)
        processes.append(process)
        process.wait_healthy()
        return process

    yield start
    for process in processes:
        process.stop()


def open_idle(port: int, count: int, stack: ExitStack) -> list[socket.socket]:
    """`count` connections, half of them silent and half stuck in the middle of a request header."""
    sockets = []
    for i in range(count):
        s = stack.enter_context(socket.create_connection(("127.0.0.1", port), timeout=5))
        if i % 2:
            s.sendall(b"POST /wecom/callback?msg_signature=a HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-")
        sockets.append(s)
    return sockets


def test_healthz_and_a_signed_message_answer_beside_500_idle_connections(served):
    bot = served()
    with ExitStack() as stack:
        open_idle(bot.port, IDLE_CONNECTIONS, stack)
        started = time.monotonic()
        health = requests.get(f"{bot.base_url}/healthz", timeout=PROMPT_SECONDS)
        reply = WeComSim(HttpClient(bot.base_url)).say("jh_reporter", "帮助")
        elapsed = time.monotonic() - started
    assert health.status_code == 200 and "可用指令" in reply
    assert elapsed < PROMPT_SECONDS, elapsed


def test_idle_and_half_sent_connections_are_closed_after_the_channel_timeout(served):
    bot = served("channel_timeout = 30", "channel_timeout = 1")
    with ExitStack() as stack:
        for s in open_idle(bot.port, 4, stack):
            s.settimeout(10)
            assert closed_by_server(s)


def closed_by_server(s: socket.socket) -> bool:
    """Whether the server closes the connection before the socket's timeout: recv then sees the end, or a reset."""
    try:
        return s.recv(1024) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False
