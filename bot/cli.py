"""Command line: `python -m bot [--config PATH] serve|chat|initdb|scheduler|jobs|outbox|export ...`."""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
import uuid
from pathlib import Path

from bot.cli_jobs import add_scheduler_commands
from bot.cli_outbox import add_outbox_commands
from bot.errors import CommandError
from bot.runtime import build_bot
from common.clock import system_clock
from common.config import Config, ConfigError
from common.config_loader import find_config
from common.via import CONSOLE
from common.weeks import local_week, parse_week
from handlers.base import Context, Incoming, Refusal, User, clean_text
from reports.exports import FORMATS
from scheduler.service import background_scheduler
from storage.engine import session_scope

log = logging.getLogger("bot")

NO_WECHAT = "未开通微信公众号 / {source} has no [wechat] section: the official account's channel is off"
OPERATOR = "cli"  # who issued a code from the command line


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # two INFO lines per heartbeat would drown the log
    try:
        return args.run(find_config(args.config), args)
    except ConfigError as exc:
        print(f"配置错误 / config error: {exc}", file=sys.stderr)
        return 2
    except CommandError as exc:
        print(exc, file=sys.stderr)
        return exc.exit_status


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="执行宣传报送机器人 / court publicity reporting bot")
    parser.add_argument("--config", help="config file (default: $BOT_CONFIG, ./config.toml, ./config.example.toml)")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    serve = commands.add_parser("serve", help="run the webhook on the production WSGI server, with the scheduler")
    serve.add_argument("--no-scheduler", action="store_true", help="web only, for extra web processes")
    serve.add_argument("--worker-of", type=int, help=argparse.SUPPRESS)  # a web process started by another serve
    serve.set_defaults(run=_serve)
    chat = commands.add_parser("chat", help="talk to the bot in this terminal as a given user")
    chat.add_argument("--user", required=True, help="the WeCom userid to speak as")
    chat.set_defaults(run=_chat)
    initdb = commands.add_parser("initdb", help="create or update the database tables and sync units")
    initdb.set_defaults(run=_initdb)
    add_scheduler_commands(commands)
    add_outbox_commands(commands)
    export = commands.add_parser("export", help="write a week's Excel workbook or Word document, the files `导出` and `导出 word` send")
    export.add_argument("--week", help="ISO week such as 2026-W48 (default: this week)")
    export.add_argument("--format", choices=FORMATS, default=FORMATS[0], help="xlsx: the workbook (default); docx: the Word document")
    export.add_argument("--out", required=True, help="the file to write")
    export.set_defaults(run=_export)
    bind_code = commands.add_parser("bind-code", help="a one-time code (24 hours) for a member to bind their WeChat to the official account")
    bind_code.add_argument("user", metavar="USERID", help="the member's (or an admin's) WeCom userid")
    bind_code.set_defaults(run=_bind_code)
    return parser


def _serve(config: Config, args: argparse.Namespace) -> int:
    from bot.app import create_app
    from bot.server import end_with, hand_the_gil_back_quickly, listen, other_workers

    hand_the_gil_back_quickly()
    bot = build_bot(config)
    worker = args.worker_of is not None
    server = listen(create_app(bot), config.server, shared=config.server.workers > 1)
    if worker:
        end_with(args.worker_of)
    scheduler = contextlib.nullcontext() if args.no_scheduler else background_scheduler(config, bot.scheduler())
    with scheduler, contextlib.nullcontext() if worker else other_workers(config):
        who = f"a web process of serve {args.worker_of}" if worker else f"{config.server.workers} web process(es) x {config.server.threads} threads"
        log.info("serving on http://%s:%s (config %s; %s)", config.server.host, config.server.port, config.source, who)
        server.run()
    return 0


def _chat(config: Config, args: argparse.Namespace) -> int:
    """A terminal conversation through the same dispatcher and handlers as the webhook."""
    from bot.messengers import ConsoleMessenger

    bot = build_bot(config, messenger=ConsoleMessenger())
    print(f"以 {args.user} 身份对话，输入“帮助”查看指令，Ctrl-D 退出。")
    for line in sys.stdin:
        reply = bot.handle(Incoming(user_id=args.user, text=clean_text(line), key=f"chat:{uuid.uuid4()}", via=CONSOLE))
        if reply is not None:
            print(reply.text, flush=True)
    return 0


def _initdb(config: Config, args: argparse.Namespace) -> int:
    build_bot(config)
    print(f"数据库已就绪 / database ready: {config.storage.url}")
    return 0


def _bind_code(config: Config, args: argparse.Namespace) -> int:
    """`绑定码 <userid>` for an operator at the server: the code and how to use it, or why there is none (exit 2)."""
    from handlers.binding import code_for

    if config.wechat is None:
        raise CommandError(NO_WECHAT.format(source=config.source))
    bot = build_bot(config)
    try:
        with session_scope(bot.engine) as session:
            text = code_for(args.user, Context(session, bot.env, User(OPERATOR, None, is_admin=True), via=CONSOLE))
    except Refusal as refusal:
        raise CommandError(refusal.text) from None
    print(text)
    return 0


def _export(config: Config, args: argparse.Namespace) -> int:
    from reports.exports import export_for_week

    week = parse_week(args.week) if args.week else local_week(system_clock(), config.schedule.tz)
    if week is None:
        print(f"周次无效 / not an ISO week of years 1-9999: {args.week!r} (expected e.g. 2026-W48)", file=sys.stderr)
        return 2
    bot = build_bot(config)
    with session_scope(bot.engine) as session:
        content = export_for_week(session=session, config=config, calendar=bot.calendar, week=week, fmt=args.format)
    Path(args.out).write_bytes(content)
    print(f"已导出 / exported {week}: {args.out}")
    return 0
