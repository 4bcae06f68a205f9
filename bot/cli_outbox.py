"""The outbox's command line, for operators: `outbox list [--failed]`, `outbox retry ID|--all-failed`."""

from __future__ import annotations

import argparse
import sys

from bot.cli_jobs import delivery_line
from bot.runtime import build_bot
from common.config import Config
from storage.engine import session_scope
from storage.models import OutboxMessage, Status
from storage.outbox import retry_failed, retry_row, unsent


def add_outbox_commands(commands) -> None:
    """Add `outbox list` and `outbox retry` to the CLI's subcommands."""
    actions = commands.add_parser("outbox", help="pushes not yet delivered: list them, or send them again").add_subparsers(
        required=True, metavar="ACTION"
    )
    listing = actions.add_parser("list", help="pending, sending and failed pushes, oldest first")
    listing.add_argument("--failed", action="store_true", help="only the pushes given up")
    listing.set_defaults(run=_list)
    retry = actions.add_parser("retry", help="make pushes due now, their rounds counted afresh, and deliver")
    which = retry.add_mutually_exclusive_group(required=True)
    which.add_argument("id", nargs="?", type=int, help="one push, failed or waiting for its next round")
    which.add_argument("--all-failed", action="store_true", help="every push given up")
    retry.set_defaults(run=_retry)


def _list(config: Config, args: argparse.Namespace) -> int:
    with session_scope(build_bot(config).engine) as session:
        rows = unsent(session=session, failed_only=args.failed)
    if not rows:
        print("没有待发送或失败的推送 / nothing pending or failed")
        return 0
    print(f"{'id':>6}  {'key':<40} {'target':<14} {'status':<8} {'tries':>5}  {'next attempt':<16}  last error")
    for row in rows:
        print(_line(row, config))
    return 0


def _line(row: OutboxMessage, config: Config) -> str:
    """One row; its next attempt in `[schedule] timezone`, shown only while it waits for one."""
    waiting = row.status == Status.PENDING
    when = f"{row.next_attempt_at.astimezone(config.schedule.tz):%Y-%m-%d %H:%M}" if waiting else "-"
    return f"{row.id:>6}  {row.key:<40} {row.target:<14} {row.status:<8} {row.attempts:>5}  {when:<16}  {row.last_error or '-'}"


def _retry(config: Config, args: argparse.Namespace) -> int:
    bot = build_bot(config)
    with session_scope(bot.engine) as session:
        now = bot.clock()
        count = retry_failed(session=session, now=now) if args.all_failed else int(retry_row(session=session, row_id=args.id, now=now))
    if not args.all_failed and not count:
        print(f"推送 {args.id} 无法重发：不存在、已发送、正在发送，或是已放弃的文件 / "
              f"push {args.id} is missing, sent, being sent, or a file given up", file=sys.stderr)
        return 2
    print(f"重新排队 {count} 条 / {count} pushes due now")
    print(delivery_line(bot.scheduler().deliver()))
    return 0
