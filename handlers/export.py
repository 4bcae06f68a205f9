"""导出 [word] [周]: the week is read in the message's transaction; the file is built after the reply and sent as a WeCom file through the outbox."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from common.via import WECHAT
from handlers.base import Context, Incoming, Reply
from handlers.router import Audience, Router
from reports.exports import build_export, export_filename
from reports.labels import week_label
from reports.status import SUBMITTED
from reports.week import week_data
from storage.outbox import push_key

EXPORTING = "正在生成{week}{what}（已报送 {done}/{total}），稍后以文件发给您。"
TO_WECOM = "公众号不能发送文件，请在企业微信中查收。"  # an official account sends its followers no files
SEND_FAILED = "{week}{what}发送失败，请稍后再发“{command}”重试。"
USAGE = "导出 [word] [上周|2026-W47] — 周报汇总表（Excel 文件；加 word 为可打印的 Word 文档）"
WORD = "word"


@dataclass(frozen=True)
class Export:
    """One kind of file `导出` sends: its format, how the replies name it, and its outbox key (distinct, so both can go)."""

    fmt: str
    what: str
    command: str
    key: str


WORKBOOK = Export("xlsx", "汇总表", "导出", "export")
DOCUMENT = Export("docx", "周报 Word 文档", "导出 word", "export-docx")


def register(router: Router) -> None:
    router.command("导出", who=Audience.ADMINS, usage=USAGE)(export_week)


def export_week(msg: Incoming, ctx: Context) -> Reply:
    export, week_text = _export_and_week(msg.args)
    week = ctx.named_week(week_text)
    data = week_data(session=ctx.session, config=ctx.config, calendar=ctx.calendar, week=week)
    ctx.push_file_after_reply(
        ctx.user.id, export_filename(week, export.fmt), lambda: build_export(data, export.fmt),
        key=push_key(export.key, msg.key or uuid.uuid4()),
        failed_text=SEND_FAILED.format(week=week_label(week), what=export.what, command=export.command),
    )
    done = sum(1 for s in data.statuses if s.state == SUBMITTED)
    text = EXPORTING.format(week=week_label(week), what=export.what, done=done, total=len(data.statuses))
    return Reply(text + TO_WECOM if msg.via == WECHAT else text)


def _export_and_week(args: str) -> tuple[Export, str]:
    """`word` anywhere in the arguments asks for the Word document; the other words name the week."""
    words = args.split()
    week_words = [w for w in words if w.lower() != WORD]
    return (DOCUMENT if len(week_words) < len(words) else WORKBOOK), " ".join(week_words)
