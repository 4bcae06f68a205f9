"""导出 [周]: the week is read in the message's transaction; the workbook is built and sent as a WeCom file after the reply."""

from __future__ import annotations

import logging

from common.messenger import Messenger, SendError
from handlers.base import Context, Incoming, Reply
from handlers.router import Audience, Router
from reports.labels import week_label
from reports.status import SUBMITTED
from reports.week import WeekData, week_data
from reports.workbook import build_workbook, export_filename

log = logging.getLogger(__name__)

EXPORTING = "正在生成{week}汇总表（已报送 {done}/{total}），稍后以文件发给您。"
SEND_FAILED = "{week}汇总表发送失败，请稍后再发“导出”重试。"


def register(router: Router) -> None:
    router.command("导出", who=Audience.ADMINS, usage="导出 [上周|2026-W47] — 周报汇总表（Excel 文件）")(export_week)


def export_week(msg: Incoming, ctx: Context) -> Reply:
    week = ctx.week_or_reply(msg.args)
    if isinstance(week, Reply):
        return week
    data = week_data(session=ctx.session, config=ctx.config, calendar=ctx.calendar, week=week)
    user_id, messenger = ctx.user.id, ctx.env.messenger
    ctx.after_commit(lambda: send_workbook(messenger, user_id, data))
    done = sum(1 for s in data.statuses if s.state == SUBMITTED)
    return Reply(EXPORTING.format(week=week_label(week), done=done, total=len(data.statuses)))


def send_workbook(messenger: Messenger, user_id: str, data: WeekData) -> None:
    """Build the workbook from data already read, then upload and send it; if WeCom refuses, tell the admin."""
    try:
        messenger.send_file(user_id, export_filename(data.week), build_workbook(data))
    except SendError:
        log.exception("export of %s to %s failed", data.week, user_id)
        messenger.send_to_users([user_id], SEND_FAILED.format(week=week_label(data.week)))
