"""Webhook throughput and latency: the bot as `serve` runs it versus a bare Flask + wechatpy echo app.

Replays pre-encrypted weekly-report conversations of N concurrent users (default 50) against both,
on the same WSGI server (waitress) and thread count, and prints messages/s, p50/p99/max latency
and the ratio. Run: `.venv/bin/python -m bench.webhook [--users 50]`. Targets: the bot at 0.8x the
echo app's throughput or better, p99 under 200 ms, nothing over 1 s.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

from tests.live_server import ROOT, BotProcess, free_port, write_config
from tests.wecom_sim import WeComSim, text_xml

CONVERSATION = ["周报", "简介", "举措", "做法", "效果", "跳过", "标题", "https://example.com/a", "5", "完成", "李华", "13800138000", "确认", "我的周报"]


def members_config(users: int) -> str:
    """Extra units so that every simulated user is a member (10 users a unit)."""
    blocks = []
    for u in range(0, users, 10):
        members = ", ".join(f'"bench{i}"' for i in range(u, min(u + 10, users)))
        blocks.append(f'\n[[units]]\nid = "bench{u}"\nname = "压测法院{u}"\nmembers = [{members}]\ngroup = "office"\n')
    return "".join(blocks)


def encrypted_requests(users: int) -> list[list[tuple[dict, str]]]:
    """Every user's conversation, signed and encrypted ahead of the run (timestamps are now)."""
    sim = WeComSim(client=None)
    now = int(time.time())
    return [
        [sim.envelope(text_xml(f"bench{u}", text, u * 1000 + i + 1, now), nonce=f"n{u}x{i}") for i, text in enumerate(CONVERSATION)]
        for u in range(users)
    ]


def replay(base_url: str, conversations: list[list[tuple[dict, str]]]) -> tuple[float, list[float], int]:
    """Each user sends its messages one after another; users run concurrently. Returns (seconds, latencies, errors)."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def user(requests_of_user):
        session = requests.Session()
        for query, body in requests_of_user:
            start = time.perf_counter()
            response = session.post(f"{base_url}/wecom/callback", params=query, data=body.encode(), timeout=10)
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                errors[0] += response.status_code != 200 or not response.content

    threads = [threading.Thread(target=user, args=(c,)) for c in conversations]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - start, latencies, errors[0]


def report(name: str, seconds: float, latencies: list[float], errors: int) -> float:
    ordered = sorted(latencies)
    rate = len(ordered) / seconds
    p50 = statistics.median(ordered) * 1000
    p99 = ordered[int(len(ordered) * 0.99) - 1] * 1000
    print(f"{name:<10} {len(ordered):>6} msgs  {rate:8.1f} msg/s  p50 {p50:7.1f} ms  p99 {p99:7.1f} ms  max {ordered[-1] * 1000:7.1f} ms  errors {errors}")
    return rate


def start_echo(port: int, threads: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "bench.echo_app", "--port", str(port), "--threads", str(threads)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--db", default="", help="database URL for the bot (default: a fresh SQLite file)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        bot_port, echo_port = free_port(), free_port()
        db_url = options.db or f"sqlite:///{folder}/bench.db"
        config = write_config(Path(folder), port=bot_port, db_url=db_url, extra=members_config(options.users))
        bot = BotProcess(config, "serve", port=bot_port)
        echo = start_echo(echo_port, threads=8)
        try:
            bot.wait_healthy()
            BotProcess.wait_url(f"http://127.0.0.1:{echo_port}/healthz")
            print(f"{options.users} concurrent users x {len(CONVERSATION)} messages; waitress, 8 threads each; database {db_url.split(':')[0]}")
            echo_rate = report("echo", *replay(f"http://127.0.0.1:{echo_port}", encrypted_requests(options.users)))
            bot_rate = report("bot", *replay(bot.base_url, encrypted_requests(options.users)))
            print(f"ratio      bot/echo throughput {bot_rate / echo_rate:.2f}x (target >= 0.8x)")
        finally:
            bot.stop()
            echo.terminate()


if __name__ == "__main__":
    main()
