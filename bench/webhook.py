"""Webhook throughput and latency: the bot as `serve` runs it versus a bare Flask + wechatpy echo app.

Replays pre-encrypted weekly-report conversations of N concurrent users (default 50) against both,
on the same WSGI server (waitress) and thread count, in rounds of fresh users that alternate between
the two apps, and prints messages/s, p50/p99/max latency, each server's CPU time per message and the
ratio. Run: `.venv/bin/python -m bench.webhook [--users 50] [--rounds 5] [--db URL]`. Targets: the
bot at 0.8x the echo app's throughput or better, p99 under 200 ms, nothing over 1 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import requests

from common.config_loader import load_config
from tests.support.databases import postgres_schema
from tests.support.live_server import ROOT, BotProcess, free_port, write_config
from tests.support.wecom_sim import WeComSim, text_xml

CONVERSATION = ["周报", "简介", "举措", "做法", "效果", "跳过", "标题", "https://example.com/a", "5", "完成", "李华", "13800138000", "确认", "我的周报"]


def members_config(user_ids: list[str]) -> str:
    """Extra units so that every simulated user is a member (10 users a unit)."""
    blocks = []
    for first in range(0, len(user_ids), 10):
        members = ", ".join(f'"{u}"' for u in user_ids[first : first + 10])
        blocks.append(f'\n[[units]]\nid = "bench{first}"\nname = "压测法院{first}"\nmembers = [{members}]\ngroup = "office"\n')
    return "".join(blocks)


def encrypted_requests(user_ids: list[str], first_msg_id: int) -> list[list[tuple[dict, str]]]:
    """Every user's conversation, signed and encrypted ahead of the run (timestamps are now)."""
    sim = WeComSim(client=None)
    now = int(time.time())
    return [
        [
            sim.envelope(text_xml(user, text, first_msg_id + u * 1000 + i, now), nonce=f"n{u}x{i}")
            for i, text in enumerate(CONVERSATION)
        ]
        for u, user in enumerate(user_ids)
    ]


@dataclass
class Tally:
    """One app's figures summed over rounds."""

    name: str
    pid: int
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: int = 0

    def replay(self, base_url: str, conversations: list[list[tuple[dict, str]]]) -> None:
        cpu_before = process_cpu_seconds(self.pid)
        seconds, latencies, errors = replay(base_url, conversations)
        self.cpu_seconds += process_cpu_seconds(self.pid) - cpu_before
        self.seconds += seconds
        self.latencies += latencies
        self.errors += errors

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds

    def print(self) -> None:
        ordered = sorted(self.latencies)
        p50, p99 = statistics.median(ordered) * 1000, ordered[int(len(ordered) * 0.99) - 1] * 1000
        cpu = self.cpu_seconds / len(ordered) * 1000
        print(
            f"{self.name:<8} {len(ordered):>6} msgs  {self.rate:7.1f} msg/s  p50 {p50:6.1f} ms  p99 {p99:6.1f} ms"
            f"  max {ordered[-1] * 1000:6.1f} ms  server CPU {cpu:4.2f} ms/msg  errors {self.errors}"
        )


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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


def start_echo(port: int, threads: int, database_url: str = "") -> subprocess.Popen:
    command = [sys.executable, "-m", "bench.echo_app", "--port", str(port), "--threads", str(threads), "--db", database_url]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def database(postgres_url: str, folder: Path, name: str):
    return postgres_schema(postgres_url) if postgres_url else nullcontext(f"sqlite:///{folder}/{name}.db")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5, help="rounds of fresh users, each replayed against every app in turn")
    parser.add_argument("--db", default="", help="PostgreSQL URL: each app with a database uses a throw-away schema there (default: SQLite files)")
    options = parser.parse_args()
    rounds = [[f"bench{r}-{u}" for u in range(options.users)] for r in range(options.rounds)]
    with (
        tempfile.TemporaryDirectory() as folder,
        database(options.db, Path(folder), "bot") as bot_db,
        database(options.db, Path(folder), "floor") as floor_db,
    ):
        bot_port, echo_port, floor_port = free_port(), free_port(), free_port()
        extra = members_config([user for users in rounds for user in users])
        config = write_config(Path(folder), port=bot_port, db_url=bot_db, extra=extra)
        threads = load_config(config).server.threads
        bot = BotProcess(config, "serve", port=bot_port)
        apps = {
            "echo": (f"http://127.0.0.1:{echo_port}", start_echo(echo_port, threads)),
            "echo+db": (f"http://127.0.0.1:{floor_port}", start_echo(floor_port, threads, floor_db)),
            "bot": (bot.base_url, bot.process),
        }
        try:
            bot.wait_healthy()
            for url, _ in apps.values():
                BotProcess.wait_url(f"{url}/healthz")
            print(
                f"{options.rounds} rounds of {options.users} concurrent users x {len(CONVERSATION)} messages;"
                f" waitress, {threads} threads each; database {bot_db.split(':')[0]}"
            )
            tallies = {name: Tally(name, process.pid) for name, (_, process) in apps.items()}
            for r, users in enumerate(rounds):
                for name, (url, _) in apps.items():
                    tallies[name].replay(url, encrypted_requests(users, r * 10**6))
            for tally in tallies.values():
                tally.print()
            echo, floor, bot_rate = (tallies[name].rate for name in apps)
            print(f"ratio      bot/echo {bot_rate / echo:.2f}x (target >= 0.8x); echo+db/echo {floor / echo:.2f}x; bot/echo+db {bot_rate / floor:.2f}x")
        finally:
            bot.stop()
            for name, (_, process) in apps.items():
                if name != "bot":
                    process.terminate()


if __name__ == "__main__":
    main()
