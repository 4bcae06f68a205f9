"""导出 [周]: the week is read in the message's transaction; the workbook is built after the reply and sent as a WeCom file through the outbox."""

from __future__ import annotations

import uuid

from handlers.base import Context, Incoming, Reply
from handlers.router import Audience, Router
from reports.labels import week_label
from reports.status import SUBMITTED
from reports.week import week_data
from reports.workbook import build_workbook, export_filename
from storage.outbox import push_key

EXPORTING = "正在生成{week}汇总表（已报送 {done}/{total}），稍后以文件发给您。"
SEND_FAILED = "{week}汇总表发送失败，请稍后再发“导出”重试。"


def register(router: Router) -> None:
    router.command("导出", who=Audience.ADMINS, usage="导出 [上周|2026-W47] — 周报汇总表（Excel 文件）")(export_week)


def export_week(msg: Incoming, ctx: Context) -> Reply:
    week = ctx.week_or_reply(msg.args)
    if isinstance(week, Reply):
        return week
    data = week_data(session=ctx.session, config=ctx.config, calendar=ctx.calendar, week=week)
    ctx.push_file_after_reply(
        ctx.user.id, export_filename(week), lambda: build_workbook(data),
        key=push_key("export", msg.key or uuid.uuid4()), failed_text=SEND_FAILED.format(week=week_label(week)),
    )
    done = sum(1 for s in data.statuses if s.state == SUBMITTED)
    return Reply(EXPORTING.format(week=week_label(week), done=done, total=len(data.statuses)))
