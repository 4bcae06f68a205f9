"""The office's view of reporting: 状态/本周 (every unit this week), 未报 (who to chase), 历史 <单位> (last 8 weeks)."""

from __future__ import annotations

from common.weeks import shift_week
from handlers.base import Context, Incoming, Reply
from handlers.router import Audience, Router
from reports.labels import moment, week_label
from reports.status import EXEMPT, MISSING, RETURNED, UnitStatus, describe, not_yet_due, week_counts, week_statuses
from storage.people import PersonRef
from storage.reports import ReportHeader, latest_contacts, reports_of_unit
from storage.units import members_by_unit

STATUS_HEADER = "{week}报送情况"
DEADLINE = "截止：{deadline}"
EXEMPT_WEEK = "本周免报。"
COUNTS = "已报送 {done}（按时 {on_time}，逾期 {late}），未报送 {missing}"
NONE_MISSING = "{week} 各单位均已报送。"
MISSING_HEADER = "{week} 未报送 {count} 个单位："
NO_MEMBERS = "（无成员）"
LAST_CONTACT = "　上次周报联系人：{name} {phone}"
HISTORY_USAGE = "请写单位名称，如：历史 景洪"
HISTORY_HEADER = "{unit} 近 {weeks} 周报送情况："
NOT_DUE_YET = "（未到截止）"
HISTORY_WEEKS = 8


def register(router: Router) -> None:
    router.command("状态", "本周", who=Audience.ADMINS, usage="状态 [上周|2026-W47] — 各单位报送情况")(show_status)
    router.command("未报", who=Audience.ADMINS, usage="未报 — 本周未报送的单位、成员和联系电话")(show_missing)
    router.command("历史", who=Audience.ADMINS, usage="历史 <单位> — 该单位近8周报送情况")(show_history)


def show_status(msg: Incoming, ctx: Context) -> Reply:
    week = ctx.named_week(msg.args)
    statuses = week_statuses(session=ctx.session, calendar=ctx.calendar, week=week)
    lines = [STATUS_HEADER.format(week=week_label(week)), _deadline_line(week, ctx), _counts(statuses)]
    lines += [f"{s.name}：{describe(s, ctx.tz)}" for s in statuses]
    return Reply("\n".join(lines))


def show_missing(msg: Incoming, ctx: Context) -> Reply:
    week = ctx.this_week()
    if ctx.calendar.plan(week).exempt:
        return Reply(f"{week_label(week)} {EXEMPT_WEEK}")
    missing = [s.header for s in week_statuses(session=ctx.session, calendar=ctx.calendar, week=week) if s.state == MISSING]
    if not missing:
        return Reply(NONE_MISSING.format(week=week_label(week)))
    unit_ids = [h.unit_id for h in missing]
    members = members_by_unit(session=ctx.session, unit_ids=unit_ids)
    people = ctx.people(user_id for ids in members.values() for user_id in ids)
    contacts = latest_contacts(session=ctx.session, unit_ids=unit_ids)
    lines = [MISSING_HEADER.format(week=week_label(week), count=len(missing)), _deadline_line(week, ctx)]
    for h in missing:
        lines += _to_phone(h.unit_name, [people[user_id] for user_id in members.get(h.unit_id, [])], contacts.get(h.unit_id))
    return Reply("\n".join(lines))


def _to_phone(unit_name: str, members: list[PersonRef], contact: tuple[str, str] | None) -> list[str]:
    """A missing unit ready to phone: its members (name, and phone when known), then its last report's contact unless shown already."""
    shown = [f"{p.shown} {p.phone}" if p.phone else p.shown for p in members]
    lines = [f"{unit_name}：{'、'.join(shown) or NO_MEMBERS}"]
    if contact and " ".join(contact) not in shown:
        lines.append(LAST_CONTACT.format(name=contact[0], phone=contact[1]))
    return lines


def show_history(msg: Incoming, ctx: Context) -> Reply:
    if not msg.args:
        return Reply(HISTORY_USAGE)
    unit = ctx.unit_named(msg.args)
    current = ctx.this_week()
    weeks = [shift_week(current, -i) for i in range(HISTORY_WEEKS)]
    reports = reports_of_unit(session=ctx.session, unit_id=unit.id, weeks=weeks)
    lines = [HISTORY_HEADER.format(unit=unit.name, weeks=HISTORY_WEEKS)]
    for week in weeks:
        header = reports.get(week) or ReportHeader(unit.id, unit.name)
        status = UnitStatus(header, exempt=ctx.calendar.plan(week).exempt)
        lines.append(f"{week_label(week)} {describe(status, ctx.tz)}{_not_due_note(status, week, ctx)}")
    return Reply("\n".join(lines))


def _deadline_line(week: str, ctx: Context) -> str:
    deadline = ctx.calendar.deadline(week)
    return DEADLINE.format(deadline=moment(deadline, ctx.tz)) if deadline else EXEMPT_WEEK


def _counts(statuses: list[UnitStatus]) -> str:
    counts = week_counts(statuses)
    line = COUNTS.format(done=counts.submitted, on_time=counts.on_time, late=counts.late, missing=counts.missing)
    others = ((RETURNED, counts.returned), (EXEMPT, counts.exempt))
    return "，".join([line, *(f"{state} {count}" for state, count in others if count)])


def _not_due_note(status: UnitStatus, week: str, ctx: Context) -> str:
    return NOT_DUE_YET if status.state == MISSING and not_yet_due(ctx.calendar, week, ctx.clock()) else ""
