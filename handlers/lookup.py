"""Reading what units sent: 查询 <单位> [周] (a report as the office sees it) and 预告列表 (the next 14 days' events)."""

from __future__ import annotations

from datetime import timedelta

from common.via import LABELS as VIA_LABELS
from common.via import WECOM
from common.weeks import week_from_words
from handlers.base import Context, Incoming, Reply
from handlers.materials import listed
from handlers.router import Audience, Router
from reports.attachments import CONTACT, DATE, PHONE, REPORT_TEXT_FIELDS
from reports.form_rows import article_where
from reports.labels import moment, revision_timeliness, timeliness, week_label
from reports.notices import lead_flag, when
from reports.status import EXEMPT, MISSING
from storage.materials import revision_materials
from storage.models import Notice
from storage.notices import upcoming_notices
from storage.reports import SavedReport, current_report
from storage.returns import open_return
from storage.units import unit_names

QUERY_USAGE = "请写单位名称，可加周次，如：查询 景洪、查询 勐腊 上周"
REPORT_HEADER = "{unit} {week} 周报"
SUBMITTED_LINE = "提交：{at} {by}（{timeliness}{via}）"
VIA_NOTE = "，经{via}"  # only for a report not sent in WeCom's app, the usual way
HISTORY_MARK = "【历史】共 {count} 版，首次提交 {first}（{timeliness}），以下为最新一版"
RETURNED_MARK = "【已退回】{at} 由 {by} 退回，原因：{reason}。待单位重新提交。"
NO_REPORT = "{unit} {week}：{state}。"
NOTHING = "无"
ARTICLES_HEADER = "稿件（{count}）："
NOTICE_WINDOW_DAYS = 14
NO_NOTICES = "未来 {days} 天没有重点策划预告。"
NOTICES_HEADER = "未来 {days} 天重点策划预告 {count} 条："


def register(router: Router) -> None:
    router.command("查询", who=Audience.ADMINS, usage="查询 <单位> [上周] — 查看单位周报")(show_report)
    router.command("预告列表", who=Audience.ADMINS, usage="预告列表 — 未来14天重点策划预告")(list_notices)


def show_report(msg: Incoming, ctx: Context) -> Reply:
    name, week = _unit_and_week(msg.args, ctx.this_week())
    if not name:
        return Reply(QUERY_USAGE)
    unit = ctx.unit_named(name)
    saved = current_report(session=ctx.session, unit_id=unit.id, week=week)
    if saved is None:
        state = EXEMPT if ctx.calendar.plan(week).exempt else MISSING
        return Reply(NO_REPORT.format(unit=unit.name, week=week_label(week), state=state))
    lines = [REPORT_HEADER.format(unit=unit.name, week=week_label(week))]
    returned = open_return(session=ctx.session, unit_id=unit.id, week=week)
    if returned is not None:
        at = moment(returned.returned_at, ctx.tz)
        lines.append(RETURNED_MARK.format(at=at, by=ctx.name_of(returned.returned_by), reason=returned.reason))
    attached = listed(revision_materials(session=ctx.session, revision_id=saved.revision.id))
    return Reply("\n".join([*lines, *report_lines(saved, ctx.tz, by=ctx.name_of(saved.revision.submitted_by)), *attached]))


def report_lines(saved: SavedReport, tz, *, by: str) -> list[str]:
    """A report as text, in the order of 附件1, with who sent it (`by`, as shown), when, how if not by WeCom, and whether it was revised."""
    revision, report = saved.revision, saved.report
    submitted = moment(revision.submitted_at, tz)
    when = revision_timeliness(first_on_time=report.on_time, on_time=revision.on_time)
    via = VIA_NOTE.format(via=VIA_LABELS[revision.via]) if revision.via != WECOM else ""
    lines = [SUBMITTED_LINE.format(at=submitted, by=by, timeliness=when, via=via)]
    if report.current_revision > 1:
        first = moment(report.first_submitted_at, tz)
        lines.append(HISTORY_MARK.format(count=report.current_revision, first=first, timeliness=timeliness(report.on_time)))
    lines += [f"{label}：{getattr(revision, key) or NOTHING}" for key, label in REPORT_TEXT_FIELDS]
    lines.append(ARTICLES_HEADER.format(count=len(saved.articles)))
    for article in saved.articles:
        lines += filter(None, [f"{article.position}. {article.title}（{article.channel}）", article_where(article)])
    lines += [f"{CONTACT}：{revision.contact}", f"{PHONE}：{revision.phone}", f"{DATE}：{revision.report_date:%Y-%m-%d}"]
    return lines


def list_notices(msg: Incoming, ctx: Context) -> Reply:
    now = ctx.clock()
    notices = upcoming_notices(session=ctx.session, start=now, end=now + timedelta(days=NOTICE_WINDOW_DAYS))
    if not notices:
        return Reply(NO_NOTICES.format(days=NOTICE_WINDOW_DAYS))
    names = unit_names(session=ctx.session, unit_ids=[n.unit_id for n in notices])
    lines = [NOTICES_HEADER.format(days=NOTICE_WINDOW_DAYS, count=len(notices))]
    lines += [_notice_line(n, names.get(n.unit_id, n.unit_id), ctx) for n in notices]
    return Reply("\n".join(lines))


def _notice_line(notice: Notice, unit_name: str, ctx: Context) -> str:
    channels = "、".join(notice.channels)
    flag = lead_flag(notice, ctx.config.schedule.advance_days)
    shown = when(notice, ctx.tz, today=ctx.local_now().date())
    return f"{shown} {unit_name}｜{notice.theme}｜{channels}｜{flag}"


def _unit_and_week(args: str, current: str) -> tuple[str, str]:
    """Split "勐腊 上周" into the unit text and the week; a last word that is not a week belongs to the name."""
    words = args.split()
    if len(words) > 1 and (week := week_from_words(words[-1], current)):
        return " ".join(words[:-1]), week
    return args, current
