"""The scheduler's command line: `scheduler`, `jobs list`, `jobs run NAME [--at TIME]`."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.errors import CommandError
from bot.runtime import build_bot
from common.config import Config
from common.holidays import is_fallback
from common.weeks import parse_week, week_of
from scheduler.catalog import JOBS, next_due
from scheduler.delivery import DeliveryResult
from scheduler.runs import Outcome
from scheduler.service import run_until

BEYOND_CALENDAR = "--at {at}: 超出可排期的范围 / beyond the weeks the calendar can plan"
FALLBACK_YEARS = "{years} 年节假日尚未公布，按内置规则估算（元旦、春节、国庆） / no official holidays yet for {years}: estimated"


def add_scheduler_commands(commands) -> None:
    """Add `scheduler` and `jobs` to the CLI's subcommands."""
    commands.add_parser("scheduler", help="run the scheduler alone (blocking)").set_defaults(run=_scheduler)
    at = argparse.ArgumentParser(add_help=False)
    at.add_argument("--at", type=datetime.fromisoformat, help="as if now were this moment, e.g. 2026-11-26T15:00 ([schedule] timezone)")
    jobs = commands.add_parser("jobs", help="list the scheduled jobs, or run one now").add_subparsers(required=True, metavar="ACTION")
    jobs.add_parser("list", parents=[at], help="each job and its next run, holidays applied").set_defaults(run=_jobs_list)
    run = jobs.add_parser("run", parents=[at], help="run one job now; a second run for the same period sends nothing new")
    run.add_argument("name", choices=[job.name for job in JOBS])
    run.set_defaults(run=_jobs_run)


def _scheduler(config: Config, args: argparse.Namespace) -> int:
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    run_until(stop, config, build_bot(config).scheduler())
    return 0


def _jobs_list(config: Config, args: argparse.Namespace) -> int:
    at = _moment(args.at, config)  # refused before anything starts, in one line
    bot = build_bot(config)
    now = at or bot.clock()
    schedule = config.schedule
    print(f"{'job':<18} {'config':<12} next run ({schedule.timezone}, holidays applied)")
    years = set()
    for job in JOBS:
        when = next_due(job, now, bot.calendar)
        shown = f"{when.astimezone(schedule.tz):%Y-%m-%d %H:%M %a}" if when else "-"
        years.update([when.astimezone(schedule.tz).year] if when else [])
        print(f"{job.name:<18} {job.describe(schedule):<12} {shown}")
    estimated = sorted(year for year in years if is_fallback(year))
    if estimated:
        print(FALLBACK_YEARS.format(years="、".join(map(str, estimated))))
    return 0


def _jobs_run(config: Config, args: argparse.Namespace) -> int:
    at = _moment(args.at, config)
    service = build_bot(config).scheduler()
    if args.name not in service.jobs:
        print(f"{args.name} 未启用 / is off in [schedule]", file=sys.stderr)
        return 2
    result, delivery = service.run_now(args.name, at=at)
    if result.outcome is Outcome.EXEMPT:
        print(f"{result.job} {result.period}: 免报周，不推送 / exempt week, nothing sent")
        return 0
    print(f"{result.job} {result.period}: 新推送 {result.queued} 条 / {result.queued} new pushes queued")
    print(delivery_line(delivery))
    return 0


def delivery_line(delivery: DeliveryResult) -> str:
    """What a delivery did, as `jobs run` and `outbox retry` print it."""
    return f"已发送 {delivery.sent}，待重试 {delivery.retrying}，失败 {delivery.failed} / sent, retrying, failed"


def _moment(at: datetime | None, config: Config) -> datetime | None:
    """The moment --at names (read in `[schedule] timezone` when it has no zone), or None for now.

    It only chooses the period a job is for: the bot's clock, which claims and retries are judged by,
    stays the real one, so a sender beside `serve` never takes a row that one is still sending.
    """
    if at is None:
        return None
    return _plannable(at, config.schedule.tz)


def _plannable(at: datetime, tz: ZoneInfo) -> datetime:
    """--at as a moment in `tz`; CommandError unless its week can be planned (years 1-9999, but for their edges)."""
    try:
        local = at.astimezone(tz) if at.tzinfo else at.replace(tzinfo=tz)
        week = parse_week(week_of(local.date()))
    except OverflowError:  # an offset that carries the moment past year 9999 or before year 1
        week = None
    if week is None:
        raise CommandError(BEYOND_CALENDAR.format(at=at.isoformat()))
    return local
