"""退回 <单位> [上周] <原因>: an admin sends a unit's weekly report back to be revised and resubmitted.

The unit's group (its members @-mentioned) and the member who submitted the current revision are told
the reason; the report shows 已退回 until the unit confirms a new revision (reports/status.py).
"""

from __future__ import annotations

from common.weeks import week_from_words
from handlers.base import Context, Incoming, Reply
from handlers.router import Audience, Router
from reports.labels import moment, week_label
from reports.status import on_time_until
from storage.outbox import push_key
from storage.reports import current_report
from storage.returns import open_return, record_return
from storage.units import UnitRef, members_by_unit

USAGE = "请写单位和退回原因，如：退回 景洪 稿件链接无法打开（退回上周的：退回 景洪 上周 原因）"
NO_REASON = "请写明退回原因，如：退回 {unit} 稿件链接无法打开"
REASON_TOO_LONG = "退回原因请在 {limit} 字以内。"
ONLY_RECENT = "只能退回本周或上周的周报：单位只能修改这两周的周报。"
NOTHING_TO_RETURN = "{unit} {week} 尚未提交周报，无可退回。"
ALREADY_RETURNED = "{unit} {week} 周报已于 {at} 退回，尚未重新提交。"
SENT_BACK = "已退回 {unit} {week} 周报（第 {n} 版），原因：{reason}。已通知该单位群及提交人 {submitter}。"
TO_GROUP = "【周报退回】{unit}{week}周报已被中院办公室退回，原因：{reason}。{resubmit}"
TO_SUBMITTER = "您提交的{unit}{week}周报已被中院办公室退回，原因：{reason}。{resubmit}"
RESUBMIT_ON_TIME = "请发送{command}打开已提交的内容，修改后于{until}前重新提交，仍计为按时。"
RESUBMIT = "请发送{command}打开已提交的内容，修改后尽快重新提交。"
THIS_WEEK_COMMAND = "“修改”（下周请发送“修改 上周”）"
LAST_WEEK_COMMAND = "“修改 上周”"
REASON_LIMIT = 200


def register(router: Router) -> None:
    router.command("退回", who=Audience.ADMINS, usage="退回 <单位> [上周] <原因> — 退回单位周报，通知其修改后重新提交")(send_back)


def send_back(msg: Incoming, ctx: Context) -> Reply:
    unit_text, _, rest = msg.args.partition(" ")
    if not unit_text:
        return Reply(USAGE)
    unit = ctx.unit_named(unit_text)
    week, reason = _week_and_reason(rest, ctx)
    if week is None:
        return Reply(ONLY_RECENT)
    if not reason:
        return Reply(NO_REASON.format(unit=unit_text))
    if len(reason) > REASON_LIMIT:
        return Reply(REASON_TOO_LONG.format(limit=REASON_LIMIT))
    return Reply(_send_back(unit, week, reason, ctx))


def _week_and_reason(text: str, ctx: Context) -> tuple[str | None, str]:
    """"上周 缺少稿件" is last week's report and its reason; a first word that names no week begins the reason.

    The week is None when it names one the unit can no longer revise (only this week and last week can be filed).
    """
    first, _, rest = text.partition(" ")
    named = week_from_words(first, ctx.this_week()) if first else None
    if named is None:
        return ctx.this_week(), text.strip()
    return ctx.this_or_last_week(first), rest.strip()


def _send_back(unit: UnitRef, week: str, reason: str, ctx: Context) -> str:
    """Store the return of the current revision and tell the unit's group and the submitter; the admin's reply."""
    saved = current_report(session=ctx.session, unit_id=unit.id, week=week)
    label = week_label(week)
    if saved is None:
        return NOTHING_TO_RETURN.format(unit=unit.name, week=label)
    now, revision = ctx.clock(), saved.revision
    return_id = record_return(session=ctx.session, report_id=saved.report.id, revision=revision.number, by=ctx.user.id, at=now, reason=reason)
    if return_id is None:
        earlier = open_return(session=ctx.session, unit_id=unit.id, week=week)
        return ALREADY_RETURNED.format(unit=unit.name, week=label, at=moment(earlier.returned_at, ctx.tz))
    told = dict(unit=unit.name, week=label, reason=reason, resubmit=_how_to_resubmit(week, saved.report.on_time, ctx))
    members = members_by_unit(session=ctx.session, unit_ids=[unit.id]).get(unit.id, [])
    ctx.push_to_groups([unit.group_id], TO_GROUP.format(**told), key=push_key("return", return_id), mention=members)
    ctx.push_to_user(revision.submitted_by, TO_SUBMITTER.format(**told), key=push_key("return", return_id, "submitter"))
    return SENT_BACK.format(unit=unit.name, week=label, n=revision.number, reason=reason, submitter=ctx.name_of(revision.submitted_by))


def _how_to_resubmit(week: str, first_on_time: bool, ctx: Context) -> str:
    """The command that opens the report, and until when a report first sent on time may come back and stay 按时."""
    command = THIS_WEEK_COMMAND if week == ctx.this_week() else LAST_WEEK_COMMAND
    until = on_time_until(ctx.calendar, week, first_on_time=first_on_time, returned_at=ctx.clock())
    if not first_on_time or until is None:
        return RESUBMIT.format(command=command)
    return RESUBMIT_ON_TIME.format(command=command, until=moment(until, ctx.tz, ctx.local_now().date()))
