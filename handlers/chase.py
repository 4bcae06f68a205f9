"""催报 / 催报 <单位>: an admin reminds the units still missing this week, now, in their groups (at most once an hour each)."""

from __future__ import annotations

from datetime import timedelta

from handlers.base import Context, Incoming, Refusal, Reply
from handlers.router import Audience, Router
from reports.labels import moment, week_label
from reports.reminders import GroupedUnit, GroupReminder, reminders_by_group
from reports.status import MISSING, RETURNED, describe, unit_status
from storage.chases import claim_chases, last_chased
from storage.outbox import push_key
from storage.reports import units_missing_report

CHASE_INTERVAL = timedelta(hours=1)
CHASE = "【催报】{units}尚未报送{week}执行宣传工作周报，截止时间为{deadline}。请尽快在应用中发送“周报”填报。"
CHASE_LATE = "【催报】{units}尚未报送{week}执行宣传工作周报，已超过截止时间{deadline}，请立即在应用中发送“周报”补报。"
SENT = "已向 {count} 个单位发送催报（{week}，截止 {deadline}）："
SENT_LINE = "{units}：已提醒 {members}"
SENT_NO_MEMBERS = "{units}：已发送（该单位无成员可提醒）"
HELD = "{unit}：已于 {at} 催报，{hours} 小时内不重复发送"
ALL_IN = "{week} 各单位均已报送，无需催报。"
EXEMPT_WEEK = "{week} 本周免报，无需催报。"
NOT_MISSING = "{unit} {week}：{status}，无需催报。"
RETURNED_NOT_CHASED = "{unit} {week}：{status}。退回时已通知该单位，不再催报。"


def register(router: Router) -> None:
    router.command("催报", who=Audience.ADMINS, usage="催报 [单位] — 在单位群提醒本周未报送的单位（同一单位1小时内只发一次）")(chase)


def chase(msg: Incoming, ctx: Context) -> Reply:
    week = ctx.this_week()
    if ctx.calendar.plan(week).exempt:
        return Reply(EXEMPT_WEEK.format(week=week_label(week)))
    units = _named_unit(msg.args, week, ctx) if msg.args else units_missing_report(session=ctx.session, week=week)
    if not units:
        return Reply(ALL_IN.format(week=week_label(week)))
    claimed = set(claim_chases(session=ctx.session, unit_ids=[u.id for u in units], by=ctx.user.id, now=ctx.clock(), interval=CHASE_INTERVAL))
    reminders = reminders_by_group(session=ctx.session, units=[u for u in units if u.id in claimed])
    for reminder in reminders:
        _push(reminder, week, ctx)
    return Reply(_summary(week, reminders, [u for u in units if u.id not in claimed], ctx))


def _named_unit(text: str, week: str, ctx: Context) -> list[GroupedUnit]:
    """The unit an admin named, when it is missing this week; otherwise a Refusal saying why it is not chased."""
    unit = ctx.unit_named(text)
    status = unit_status(session=ctx.session, calendar=ctx.calendar, unit_id=unit.id, unit_name=unit.name, week=week)
    if status.state == MISSING:
        return [unit]
    template = RETURNED_NOT_CHASED if status.state == RETURNED else NOT_MISSING
    raise Refusal(template.format(unit=unit.name, week=week_label(week), status=describe(status, ctx.tz)))


def _push(reminder: GroupReminder, week: str, ctx: Context) -> None:
    """The reminder to its group; keyed by its first unit and the moment, which no other 催报 of that unit shares."""
    deadline = ctx.calendar.deadline(week)
    template = CHASE_LATE if ctx.clock() > deadline else CHASE
    text = template.format(units=reminder.names, week=week_label(week), deadline=moment(deadline, ctx.tz))
    key = push_key("chase", week, reminder.units[0].id, int(ctx.clock().timestamp()))
    ctx.push_to_groups([reminder.group_id], text, key=key, mention=reminder.mention)


def _summary(week: str, reminders: list[GroupReminder], held: list[GroupedUnit], ctx: Context) -> str:
    """What was sent, one line per group message, then each unit held back with when it was last chased."""
    lines = []
    if reminders:
        deadline = moment(ctx.calendar.deadline(week), ctx.tz)
        lines.append(SENT.format(count=sum(len(r.units) for r in reminders), week=week_label(week), deadline=deadline))
        people = ctx.people([user for r in reminders for user in r.mention])
        lines += [_sent_line(r, [people[user].shown for user in r.mention]) for r in reminders]
    if held:
        chased_at = last_chased(session=ctx.session, unit_ids=[u.id for u in held])
        hours = int(CHASE_INTERVAL.total_seconds() // 3600)
        today = ctx.local_now().date()
        lines += [HELD.format(unit=u.name, at=moment(chased_at[u.id], ctx.tz, today), hours=hours) for u in held]
    return "\n".join(lines)


def _sent_line(reminder: GroupReminder, mentioned: list[str]) -> str:
    """One sent reminder: its units and the names of the members it @-mentioned."""
    if not mentioned:
        return SENT_NO_MEMBERS.format(units=reminder.names)
    return SENT_LINE.format(units=reminder.names, members="、".join(mentioned))
