"""Fan-out: the Thursday reminder to N unit groups (default 3,500), each group robot answering in a simulated latency.

Builds a config of N units, each with one member and its own group robot on a fake WeCom server on 127.0.0.1
that answers every call after `--latency` seconds (default 0.1), fires `thursday_reminder` (which queues a push
per unit missing the week's report: all of them), then times `deliver_pending` until every push is sent, and
checks that each group got exactly one message. Run: `.venv/bin/python -m bench.fanout [--units 3500]
[--latency 0.1] [--db postgresql+psycopg://postgres@127.0.0.1:5432/test]`. Target: 3,500 groups under 60 s.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from contextlib import nullcontext

from bot.messengers import WeComMessenger
from bot.runtime import build_bot, run_inline
from common.config_loader import config_from_dict
from common.messenger import CONCURRENT_SENDS
from scheduler.delivery import deliver_pending
from scheduler.runs import fire_if_due
from tests.support.config import BASE_CONFIG, shanghai
from tests.support.databases import postgres_schema
from tests.support.fake_wecom import FakeWeCom
from tests.support.fakes import FakeClock, FakeSleep
from tests.support.scheduling import job

THURSDAY_REMINDER = shanghai(2026, 11, 26, 15, 0)
TARGET_SECONDS = 60.0


def fanout_config(units: int, fake: FakeWeCom, database_url: str):
    """BASE_CONFIG's app and office, with `units` units, each with one member and a group robot of its own."""
    raw = {
        **BASE_CONFIG,
        "wecom": {**BASE_CONFIG["wecom"], "secret": "s", "api_base_url": fake.base_url},
        "groups": [{"id": f"g{i}", "webhook_url": fake.robot_url(f"k{i}")} for i in range(units)],
        "units": [{"id": f"u{i}", "name": f"第{i}法院", "members": [f"m{i}"], "group": f"g{i}"} for i in range(units)],
        "office": {"admins": ["admin1"], "groups": ["g0"]},
        "storage": {"url": database_url},
    }
    return config_from_dict(raw, source="bench-fanout")


def run(units: int, latency: float, database_url: str) -> None:
    with FakeWeCom(latency=latency) as fake:
        clock = FakeClock(THURSDAY_REMINDER)
        config = fanout_config(units, fake, database_url)
        bot = build_bot(config, messenger=WeComMessenger(config), clock=clock, background=run_inline, sleep=FakeSleep(clock))
        queued = fire_if_due(job("thursday_reminder"), engine=bot.engine, now=clock(), config=config, calendar=bot.calendar).queued
        start = time.perf_counter()
        result = deliver_pending(engine=bot.engine, messenger=bot.messenger, clock=clock, sleep=bot.sleep)
        seconds = time.perf_counter() - start
        per_group = Counter(call.query["key"] for call in fake.calls_to("webhook/send") if call.ok)
        bot.engine.dispose()
    once = len(per_group) == units and set(per_group.values()) == {1}
    print(f"{units} groups, WeCom answering in {latency * 1000:.0f} ms, {CONCURRENT_SENDS} sends at once; database {database_url.split(':')[0]}")
    print(f"queued {queued}, sent {result.sent}, retrying {result.retrying}, failed {result.failed}, held {result.held}; each group once: {once}")
    print(f"delivered in {seconds:.1f} s ({result.sent / seconds:.0f} pushes/s; one at a time would take at least {units * latency:.0f} s)")
    if units >= 3500 and latency >= 0.1:
        print(f"target, 3,500 groups at 100 ms under {TARGET_SECONDS:.0f} s: {'met' if seconds < TARGET_SECONDS and once else 'MISSED'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=3500)
    parser.add_argument("--latency", type=float, default=0.1, help="seconds WeCom takes to answer each call")
    parser.add_argument("--db", default="", help="PostgreSQL URL: a throw-away schema there (default: a SQLite file)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, (postgres_schema(options.db) if options.db else nullcontext(f"sqlite:///{folder}/fanout.db")) as url:
        run(options.units, options.latency, url)


if __name__ == "__main__":
    main()
