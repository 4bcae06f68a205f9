"""Webhook throughput and latency: the bot against a bare Flask + wechatpy echo app on the same server.

Two setups, each app started as it runs there, then rounds of fresh members (bench/load.py: each
member's messages in order, a mix of 帮助, form answers, 确认 and 我的周报) replayed against the echo and
the bot in turn, so both meet the same moments of a shared machine:
- **serve**: `python -m bot serve` as `make run` starts it: SQLite, `[server]` of config.example.toml;
- **production**: the same on PostgreSQL (`--pg URL`, or $BOT_TEST_DATABASE_URL; skipped without one).
`--workers` and `--threads` set `[server]` for both (default: the example's); the echo runs as as many
processes, on a shared port, with as many threads.
Prints, per app: messages/s, p50/p99/max latency, the server processes' CPU per message, errors (a
non-200 or empty answer) and refusals (系统繁忙/系统出错 replies); then bot/echo and the targets: 0.6x or
better, p99 under 200 ms, nothing over 1 s, no errors.
Run: `.venv/bin/python -m bench.webhook [--members 400] [--connections 50] [--rounds 3] [--workers N] [--threads N] [--pg URL]`.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from bench.load import CONVERSATION, member_names, refused_replies, replay, scripts
from common.config_loader import load_config
from tests.support.config import EXAMPLE
from tests.support.databases import postgres_schema
from tests.support.live_server import ROOT, BotProcess, free_port, write_config

TARGET_RATIO, TARGET_P99, TARGET_MAX = 0.6, 0.200, 1.0
SERVER = load_config(EXAMPLE).server  # `[server]` as `make run` serves: its threads, its workers


def members_config(user_ids: list[str]) -> str:
    """Extra units so that every simulated member belongs to one (10 members a unit)."""
    blocks = []
    for first in range(0, len(user_ids), 10):
        members = ", ".join(f'"{u}"' for u in user_ids[first : first + 10])
        blocks.append(f'\n[[units]]\nid = "bench{first}"\nname = "压测法院{first}"\nmembers = [{members}]\ngroup = "office"\n')
    return "".join(blocks)


@dataclass
class Tally:
    """One app's figures summed over rounds; `pids()` gives its server processes now (a serve's workers included)."""

    name: str
    pids: object
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    refused: int = 0

    def replay(self, port: int, requests) -> None:
        pids = self.pids()
        cpu_before = sum(process_cpu_seconds(pid) for pid in pids)
        outcome = replay(port, requests)
        self.cpu_seconds += sum(process_cpu_seconds(pid) for pid in pids) - cpu_before
        self.seconds += outcome.seconds
        self.latencies += outcome.latencies
        self.errors += outcome.errors
        self.refused += refused_replies(outcome.bodies)

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds

    def quantile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(int(len(ordered) * q), len(ordered) - 1)]

    def line(self) -> str:
        ms = 1000
        return (
            f"  {self.name:<5} {len(self.latencies):>6} msgs {self.rate:7.0f} msg/s  p50 {statistics.median(self.latencies) * ms:6.1f} ms"
            f"  p99 {self.quantile(0.99) * ms:6.1f} ms  max {max(self.latencies) * ms:6.0f} ms"
            f"  CPU {self.cpu_seconds / len(self.latencies) * ms:4.2f} ms/msg  errors {self.errors}  refused {self.refused}"
        )


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, from /proc (Linux); 0 once it has ended."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def with_children(pid: int) -> list[int]:
    """A process and the processes it started (serve's other workers)."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [pid, *(int(child) for child in children.read_text().split())] if children.exists() else [pid]


def start_echo(port: int, workers: int, threads: int) -> list[subprocess.Popen]:
    command = [sys.executable, "-m", "bench.echo_app", "--port", str(port), "--threads", str(threads), *(["--shared"] if workers > 1 else [])]
    return [subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(workers)]


def run_setup(name: str, options, database_url: str, folder: Path) -> None:
    rounds = [member_names(r, options.members) for r in range(options.rounds)]
    bot_port, echo_port = free_port(), free_port()
    units = members_config([m for ms in rounds for m in ms])
    config = write_config(folder, port=bot_port, db_url=database_url, extra=units, workers=options.workers, threads=options.threads)
    bot = BotProcess(config, "serve", port=bot_port)
    echoes = start_echo(echo_port, options.workers, options.threads)
    try:
        bot.wait_healthy()
        BotProcess.wait_url(f"http://127.0.0.1:{echo_port}/healthz")
        tallies = {
            "echo": (echo_port, Tally("echo", lambda: [e.pid for e in echoes])),
            "bot": (bot_port, Tally("bot", lambda: with_children(bot.process.pid))),
        }
        print(f"\n{name}: {database_url.split(':')[0]}, waitress, {options.workers} process(es) x {options.threads} threads each, for the echo too")
        for r, members in enumerate(rounds):
            for port, tally in tallies.values():
                tally.replay(port, scripts(members, options.connections, first_msg_id=r * 10**6 + 1))
        echo, bot_tally = tallies["echo"][1], tallies["bot"][1]
        print(echo.line())
        print(bot_tally.line())
        ratio = bot_tally.rate / echo.rate
        met = {
            f"bot/echo {ratio:.2f}x (>= {TARGET_RATIO}x)": ratio >= TARGET_RATIO,
            f"p99 {bot_tally.quantile(0.99) * 1000:.0f} ms (< 200 ms)": bot_tally.quantile(0.99) < TARGET_P99,
            f"max {max(bot_tally.latencies) * 1000:.0f} ms (< 1 s)": max(bot_tally.latencies) < TARGET_MAX,
            f"errors {bot_tally.errors + bot_tally.refused} (0)": bot_tally.errors + bot_tally.refused == 0,
        }
        print("  " + "; ".join(f"{what} {'met' if ok else 'MISSED'}" for what, ok in met.items()))
    finally:
        bot.stop()
        for echo_process in echoes:
            echo_process.terminate()
            echo_process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=400, help="distinct members per round")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3, help="rounds of fresh members, each replayed against the echo then the bot")
    parser.add_argument("--workers", type=int, default=SERVER.workers, help="[server] workers of both setups")
    parser.add_argument("--threads", type=int, default=SERVER.threads, help="[server] threads of both setups")
    parser.add_argument("--pg", default=os.environ.get("BOT_TEST_DATABASE_URL", ""), help="PostgreSQL URL for the production setup")
    options = parser.parse_args()
    print(
        f"{options.rounds} rounds of {options.members} members x {len(CONVERSATION)} messages over {options.connections} connections;"
        f" {os.cpu_count()} CPUs ({platform.processor() or platform.machine()}), load average {os.getloadavg()[0]:.1f} at start"
    )
    with tempfile.TemporaryDirectory() as folder, ExitStack() as stack:
        run_setup("serve", options, f"sqlite:///{folder}/bot.db", Path(folder))
        if not options.pg:
            print("\nproduction: skipped (no PostgreSQL: give --pg URL or set BOT_TEST_DATABASE_URL)")
            return
        run_setup("production", options, stack.enter_context(postgres_schema(options.pg)), Path(folder))
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
