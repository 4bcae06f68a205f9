"""`serve` with `[server] workers = 2`: two processes answer on one port, and the second ends with the first."""

from __future__ import annotations

from pathlib import Path

from tests.support.chat import Chat
from tests.support.live_server import BotProcess, HttpClient, free_port, poll, write_config
from tests.support.wecom_sim import WeComSim


def children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def alive(pid: int) -> bool:
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"


def test_two_workers_share_the_port_and_the_second_ends_with_the_first(tmp_path, db_url):
    port = free_port()
    config = write_config(tmp_path, port=port, db_url=db_url, workers=2)
    serve = BotProcess(config, "serve", "--no-scheduler", port=port)
    try:
        serve.wait_healthy()
        [worker] = poll(lambda: children(serve.process.pid), what="the second web process")
        poll(lambda: serve.output().count("serving on") == 2, what="both processes listening")
        for _ in range(20):  # a connection each: the kernel spreads them over both processes
            assert "执行宣传报送助手" in Chat(WeComSim(HttpClient(serve.base_url)), "jh_reporter").say("帮助")
    finally:
        serve.stop()
    poll(lambda: not alive(worker), what="the second web process ending", timeout=15)
    assert "Traceback" not in serve.output()
