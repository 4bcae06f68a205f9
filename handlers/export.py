"""导出 [周]: the week is read in the message's transaction; the workbook is built and sent as a WeCom file after the reply."""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from sqlmodel import Session

from common.config import Config
from common.deadlines import ReportingCalendar
from common.messaging import Messenger, SendError
from common.weeks import week_start
from handlers.base import Context, Incoming, Reply
from handlers.router import ADMINS, Router
from handlers.week_texts import week_or_reply
from handlers.weekstatus import SUBMITTED, week_statuses
from handlers.workbook import WeekData, build_workbook
from storage.notices import notices_of_week
from storage.queries import current_reports

log = logging.getLogger(__name__)

FILENAME = "执行宣传周报_{week}.xlsx"
EXPORTING = "正在生成 {week} 汇总表（已报送 {done}/{total}），稍后以文件发给您。"
SEND_FAILED = "{week} 汇总表发送失败，请稍后再发“导出”重试。"


def register(router: Router) -> None:
    router.command("导出", who=ADMINS, usage="导出 [上周|2026-W47] — 周报汇总表（Excel 文件）")(export_week)


def workbook_for_week(*, session: Session, config: Config, calendar: ReportingCalendar, week: str) -> bytes:
    """The week's workbook as .xlsx bytes; the chat command and `python -m bot export` both use this."""
    return build_workbook(week_data(session=session, config=config, calendar=calendar, week=week))


def week_data(*, session: Session, config: Config, calendar: ReportingCalendar, week: str) -> WeekData:
    """Read the week: every unit's status, the current reports, and the notices of events in or sent during the week."""
    tz = config.schedule.tz
    statuses = week_statuses(session=session, calendar=calendar, week=week)
    start = datetime.combine(week_start(week), time(0), tzinfo=tz)
    return WeekData(
        week=week,
        tz=tz,
        advance_days=config.schedule.advance_days,
        statuses=statuses,
        reports=current_reports(session=session, week=week),
        notices=notices_of_week(session=session, start=start, end=start + timedelta(days=7)),
        names={s.header.unit_id: s.name for s in statuses},
    )


def export_filename(week: str) -> str:
    return FILENAME.format(week=week)


def export_week(msg: Incoming, ctx: Context) -> Reply:
    week = week_or_reply(msg.args, ctx)
    if isinstance(week, Reply):
        return week
    data = week_data(session=ctx.session, config=ctx.config, calendar=ctx.calendar, week=week)
    user_id, messenger = ctx.user.id, ctx.messenger
    ctx.after_commit.append(lambda: send_workbook(messenger, user_id, data))
    done = sum(1 for s in data.statuses if s.state == SUBMITTED)
    return Reply(EXPORTING.format(week=week, done=done, total=len(data.statuses)))


def send_workbook(messenger: Messenger, user_id: str, data: WeekData) -> None:
    """Build the workbook from data already read, then upload and send it; if WeCom refuses, tell the admin."""
    try:
        messenger.send_file(user_id, export_filename(data.week), build_workbook(data))
    except SendError:
        log.exception("export of %s to %s failed", data.week, user_id)
        messenger.send_to_users([user_id], SEND_FAILED.format(week=data.week))
