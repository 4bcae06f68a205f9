"""Office queries at the scale of the whole country: 3,500 units x 52 weeks of reports and 10,000 notices.

Builds the data (deterministic, `--seed`) in a temp SQLite file and, with `--pg URL` or $BOT_TEST_DATABASE_URL, in a
fresh PostgreSQL schema dropped at the end (VACUUM ANALYZEd after the load, as autovacuum would have done), each in its
own process. Then times what the office runs, best and median of `--runs`: `状态` and
`未报` through the bot's whole handler path, `friday_overdue` for the week (its queries, the workbook it sends the office,
its outbox inserts; rolled back), the week's export, and three console pages through the Flask app; the Python heap peak
of each (tracemalloc, one extra run) and the process's peak RSS.
Run: `.venv/bin/python -m bench.scale [--pg postgresql+psycopg://postgres@127.0.0.1:5432/test]`; quick: add
`--units 200 --weeks 8`. Targets: 状态 and 未报 under 100 ms, overdue and export under 10 s, under 300 MB.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import multiprocessing
import os
import random
import resource
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, replace

from sqlmodel import Session

from bench.scale_data import HistoryWriter, Sizes, bench_config, settle
from bot.app import create_app
from bot.runtime import BUSY, FAILED, Bot, build_bot, prepare_database, run_inline
from common.deadlines import ReportingCalendar
from handlers.base import Incoming
from reports.exports import export_for_week
from scheduler.jobs import Outbox, friday_overdue
from storage.console import open_session
from storage.engine import session_scope
from tests.support.config import BASE_CONFIG
from tests.support.databases import postgres_schema
from tests.support.fakes import FakeClock, FakeMessenger

ADMIN = BASE_CONFIG["office"]["admins"][0]
QUERY_TARGET, EXPORT_TARGET, MEMORY_TARGET_MB = 0.100, 10.0, 300
PAGE_TARGET = 1.0  # a console page, queries and rendering, for the whole country


@dataclass(frozen=True)
class Figure:
    name: str
    target: float
    best: float
    median: float
    heap_mb: float = 0.0


def timed(action: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def best_and_median(action: Callable[[], object], runs: int) -> tuple[float, float]:
    seconds = [timed(action)[0] for _ in range(runs)]
    return min(seconds), statistics.median(seconds)


def heap_peak_mb(action: Callable[[], object]) -> float:
    """The Python heap's peak during one run (tracemalloc slows the run and grows the process, so it is not timed)."""
    tracemalloc.start()
    action()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def admin_says(bot: Bot, text: str) -> Callable[[], str]:
    """The admin's keyword through `Bot.handle` (dedupe, identify, route, handler, commit), a fresh MsgId each time."""
    ids = itertools.count()

    def say() -> str:
        reply = bot.handle(Incoming(ADMIN, text, key=f"bench-{text}-{next(ids)}"))
        if reply.text in (BUSY, FAILED):
            raise SystemExit(f"{text}: the bot answered {reply.text!r}; see the log")
        return reply.text

    return say


def overdue_once(bot: Bot, week: str) -> int:
    """friday_overdue for the week (its queries, the office's workbook, the outbox inserts), rolled back so that every run does the same work."""
    with Session(bot.engine) as session:
        outbox = Outbox(session, "friday_overdue", week, bot.clock())
        friday_overdue(session=session, outbox=outbox, period=week, config=bot.config, calendar=bot.calendar)
        return outbox.queued


def export_once(bot: Bot, week: str) -> int:
    with session_scope(bot.engine) as session:
        return len(export_for_week(session=session, config=bot.config, calendar=bot.calendar, week=week, fmt="xlsx"))


def console_page(bot: Bot, path: str) -> Callable[[], int]:
    """An admin's browser on a console page, through the whole Flask app (session, queries, template); the page's size."""
    client = create_app(bot).test_client()
    with session_scope(bot.engine) as session:
        client.set_cookie("console_session", open_session(session=session, user_id=ADMIN, now=bot.clock()), path="/console")

    def get() -> int:
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path}: the console answered {response.status_code}")
        return len(response.data)

    return get


def run_engine(label: str, db_url: str, sizes: Sizes, options: argparse.Namespace) -> None:
    """Build the data on one database, time the office's operations and print them."""
    rng = random.Random(options.seed)
    config = bench_config(db_url, sizes, rng)
    clock = FakeClock(ReportingCalendar(config.schedule).plan(sizes.last_week).overdue_alert)
    follow_ups: list[Callable[[], None]] = []  # as in production, a long reply's rest is sent after the reply
    first_start, bot = timed(lambda: build_bot(config, messenger=FakeMessenger(), clock=clock, background=follow_ups.append))
    load, counts = timed(lambda: HistoryWriter(config, bot.calendar, rng).load(bot.engine, sizes))
    setup = {"first start (tables + units)": first_start, "bulk load": load}
    if bot.engine.dialect.name == "postgresql":
        setup["VACUUM ANALYZE"] = timed(lambda: settle(bot.engine))[0]
    setup["a worker's start (prepare_database)"] = timed(lambda: prepare_database(bot.engine, config))[0]
    print(f"\n{label}: {sizes.units:,} units x {sizes.weeks} weeks: " + ", ".join(f"{n:,} {name}" for name, n in counts.items()))
    print("  " + ", ".join(f"{name} {duration(seconds)}" for name, seconds in setup.items()))
    loaded_rss = peak_rss_mb()
    operations = office_operations(bot, sizes.last_week)
    figures = [Figure(name, target, *best_and_median(action, options.runs)) for name, action, target in operations]
    rss = peak_rss_mb()
    figures = [replace(f, heap_mb=heap_peak_mb(action)) for f, (_, action, _) in zip(figures, operations, strict=False)]
    print_table(figures, loaded_rss, rss)
    follow_up_seconds = timed(lambda: [run_inline(action) for action in follow_ups])[0]
    print(f"  sending the follow-ups of {len(follow_ups)} long replies afterwards: {duration(follow_up_seconds)}")
    bot.engine.dispose()


def office_operations(bot: Bot, week: str) -> list[tuple[str, Callable[[], object], float]]:
    """(name, action, target) of each timed operation, after one run of each that shows what it answers."""
    status, missing = admin_says(bot, "状态"), admin_says(bot, "未报")
    print(f"  状态: {' / '.join(status().splitlines()[:3])}; 未报: {missing().splitlines()[0]}; overdue queues {overdue_once(bot, week)} pushes")
    return [
        ("状态", status, QUERY_TARGET),
        ("未报", missing, QUERY_TARGET),
        ("overdue (friday_overdue, with the workbook)", lambda: overdue_once(bot, week), EXPORT_TARGET),
        ("export (export_for_week, xlsx)", lambda: export_once(bot, week), EXPORT_TARGET),
        ("console: this week's page, every unit", console_page(bot, f"/console/week/{week}"), PAGE_TARGET),
        ("console: grid, 12 weeks by lateness, first 100 units", console_page(bot, "/console/grid?sort=late"), PAGE_TARGET),
        ("console: campaign progress, first 100 units", console_page(bot, "/console/campaign"), PAGE_TARGET),
    ]


def print_table(figures: list[Figure], loaded_rss_mb: float, rss_mb: float) -> None:
    """Names last, so that the columns line up whatever the width of Chinese characters."""
    print(f"  {'best':>10}{'median':>10}{'target':>10}{'heap peak':>12}   operation")
    for f in figures:
        over = "  (over target)" if f.median > f.target else ""
        print(f"  {duration(f.best):>10}{duration(f.median):>10}{limit(f.target):>10}{f.heap_mb:>9.1f} MB   {f.name}{over}")
    print(f"  process peak RSS {rss_mb:.0f} MB (target < {MEMORY_TARGET_MB} MB); {loaded_rss_mb:.0f} MB before the operations, after generating the data")


def duration(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def limit(seconds: float) -> str:
    return f"< {seconds * 1000:g} ms" if seconds < 1 else f"< {seconds:g} s"


def databases(options: argparse.Namespace, folder: str) -> list[tuple[str, contextlib.AbstractContextManager[str]]]:
    """SQLite always; PostgreSQL (a throw-away schema) when a URL is given."""
    chosen = [("SQLite", contextlib.nullcontext(f"sqlite:///{folder}/scale.db"))]
    pg_url = options.pg or os.environ.get("BOT_TEST_DATABASE_URL", "")
    if pg_url:
        chosen.append(("PostgreSQL", postgres_schema(pg_url)))
    return chosen


def in_own_process(function: Callable[..., None], *args) -> None:
    """One process per database, so that each peak RSS is that database's own."""
    process = multiprocessing.get_context("spawn").Process(target=function, args=args)
    process.start()
    process.join()
    if process.exitcode:
        raise SystemExit(f"{args[0]}: the benchmark process failed (exit code {process.exitcode})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=Sizes.units)
    parser.add_argument("--weeks", type=int, default=Sizes.weeks)
    parser.add_argument("--notices", type=int, default=Sizes.notices)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per operation")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--pg", default="", help="PostgreSQL URL (default: $BOT_TEST_DATABASE_URL; none: SQLite only)")
    options = parser.parse_args()
    sizes = Sizes(units=options.units, weeks=options.weeks, notices=options.notices)
    with tempfile.TemporaryDirectory() as folder:
        for label, database in databases(options, folder):
            with database as db_url:
                in_own_process(run_engine, label, db_url, sizes, options)


if __name__ == "__main__":
    main()
