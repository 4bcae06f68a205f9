"""The scheduled jobs: plain functions that write one run's pushes to the outbox (nothing is sent here)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlmodel import Session

from common.config import Config
from common.deadlines import ReportingCalendar
from reports.exports import build_export, export_filename
from reports.labels import moment, week_label, week_number
from reports.links import week_link
from reports.notices import when as notice_when
from reports.reminders import reminders_by_group
from reports.unitmatch import short_names
from reports.week import week_data
from scheduler import texts
from storage.bindings import wechat_only
from storage.models import Notice, Unit
from storage.notices import upcoming_notices
from storage.outbox import Kind, Push, push_key, queue
from storage.reports import units_missing_report, units_reported_late
from storage.units import unit_names

DIGEST_DAYS = 3  # today and the next 2 days
WORKBOOK = "xlsx"  # the office's file at the overdue alert: the workbook of `导出`


@dataclass
class Outbox:
    """Queues one run's pushes under keys (job, period, group[, part]), so a re-run queues nothing new."""

    session: Session
    job: str
    period: str
    now: datetime
    queued: int = 0

    def to_group(self, group_id: str, text: str, mention: Sequence[str] = (), part: str = "") -> None:
        self.to_groups([(group_id, text, mention)], part=part)

    def to_groups(self, messages: Iterable[tuple[str, str, Sequence[str]]], part: str = "") -> None:
        """Queue one push per (group id, text, mention), all in one statement."""
        pushes = [
            Push(push_key(self.job, self.period, group_id, part), Kind.GROUP, group_id, text, mention)
            for group_id, text, mention in messages
        ]
        self.queued += queue(session=self.session, pushes=pushes, now=self.now)

    def file_to_groups(self, group_ids: Sequence[str], filename: str, content: bytes, part: str) -> None:
        """Queue the file to each group; its bytes are stored with each push, so each sends the content of this run."""
        pushes = [
            Push(push_key(self.job, self.period, group_id, part), Kind.GROUP_FILE, group_id, "", filename=filename, content=content)
            for group_id in group_ids
        ]
        self.queued += queue(session=self.session, pushes=pushes, now=self.now)

    def templates(self, messages: Iterable[tuple[str, str, dict[str, str]]]) -> None:
        """Queue one template message per (member's userid, their openid, values), keyed by the member, in one statement."""
        pushes = [
            Push(push_key(self.job, self.period, "wechat", user_id), Kind.TEMPLATE, openid, json.dumps(values, ensure_ascii=False))
            for user_id, openid, values in messages
        ]
        self.queued += queue(session=self.session, pushes=pushes, now=self.now)


def thursday_reminder(*, session: Session, outbox: Outbox, period: str, config: Config, calendar: ReportingCalendar) -> None:
    """Remind each unit that has not reported this week, in its group, @-mentioning its members."""
    _remind(session, outbox, units_missing_report(session=session, week=period), config, calendar, texts.REMINDER)


def friday_nudge(*, session: Session, outbox: Outbox, period: str, config: Config, calendar: ReportingCalendar) -> None:
    """The same reminder as a last call on the deadline's morning."""
    _remind(session, outbox, units_missing_report(session=session, week=period), config, calendar, texts.NUDGE)


def friday_overdue(*, session: Session, outbox: Outbox, period: str, config: Config, calendar: ReportingCalendar) -> None:
    """Tell the office groups who is missing or late and send them the week's workbook; alert each missing unit's group."""
    missing = units_missing_report(session=session, week=period)
    late = units_reported_late(session=session, week=period)
    deadline = _deadline(calendar, period)
    summary = _office_summary(period, deadline, missing, late) + _console_line(config, period)
    for group_id in config.office.groups:
        outbox.to_group(group_id, summary, part="office")
    _workbook_to_office(session, outbox, period, config, calendar)
    _remind(session, outbox, missing, config, calendar, texts.OVERDUE, part="unit")


def notice_digest(*, session: Session, outbox: Outbox, period: str, config: Config, calendar: ReportingCalendar) -> None:
    """Tell the office groups of the advance notices whose events fall today or in the next 2 days."""
    start = datetime.combine(date.fromisoformat(period), time(0), tzinfo=config.schedule.tz)
    notices = upcoming_notices(session=session, start=start, end=start + timedelta(days=DIGEST_DAYS))
    if notices:
        text = _digest(notices, unit_names(session=session, unit_ids={n.unit_id for n in notices}), config, start.date())
        for group_id in config.office.groups:
            outbox.to_group(group_id, text)


def _workbook_to_office(session: Session, outbox: Outbox, week: str, config: Config, calendar: ReportingCalendar) -> None:
    """The week's workbook (as `导出` builds and names it) to the office groups, built in the run's transaction.

    Its bytes go into the outbox with the run: the office gets the reports as they stood at the alert, however
    often the pushes are retried and whatever is revised meanwhile.
    """
    if config.office.groups:
        workbook = build_export(week_data(session=session, config=config, calendar=calendar, week=week), WORKBOOK)
        outbox.file_to_groups(config.office.groups, export_filename(week, WORKBOOK), workbook, part="workbook")


def _deadline(calendar: ReportingCalendar, week: str) -> str:
    return moment(calendar.deadline(week), calendar.tz)


def _remind(
    session: Session, outbox: Outbox, units: list[Unit], config: Config, calendar: ReportingCalendar, template: str, part: str = ""
) -> None:
    """One message per group of the given units (two units may share a group), mentioning their members; then the
    template message to those of their members on WeChat alone."""
    deadline = _deadline(calendar, outbox.period)
    reminders = reminders_by_group(session=session, units=units)
    outbox.to_groups([(r.group_id, template.format(units=r.names, deadline=deadline), r.mention) for r in reminders], part=part)
    _remind_on_wechat(session, outbox, units, config, calendar)


def _remind_on_wechat(session: Session, outbox: Outbox, units: list[Unit], config: Config, calendar: ReportingCalendar) -> None:
    """The same reminder to the units' members who are on WeChat alone (the group is WeCom's), as the configured template message."""
    if config.wechat is None or not config.wechat.reminder_template_id or not units:
        return
    state = texts.FOLLOWER_STATE[outbox.job]
    shared = {
        "task": texts.FOLLOWER_TASK.format(week=week_number(outbox.period), state=state),
        "deadline": texts.FOLLOWER_DEADLINE.format(at=calendar.deadline(outbox.period).astimezone(config.schedule.tz)),
        "state": state,
        "action": texts.FOLLOWER_ACTION,
    }
    shorts = short_names((u.id, u.name, u.short_name) for u in config.units)
    names = {unit.id: unit.name for unit in units}
    followers = wechat_only(session=session, unit_ids=names)
    outbox.templates((f.user_id, f.openid, shared | {"unit": shorts.get(f.unit_id, names[f.unit_id])}) for f in followers)


def _office_summary(week: str, deadline: str, missing: list[Unit], late: list[Unit]) -> str:
    label = week_label(week)
    if not missing and not late:
        return texts.ALL_ON_TIME.format(week=label)
    lines = [texts.OFFICE_HEADER.format(week=label, deadline=deadline)]
    for template, units in ((texts.OFFICE_MISSING, missing), (texts.OFFICE_LATE, late)):
        if units:
            lines.append(template.format(count=len(units), units=texts.names(u.name for u in units)))
    return "\n".join(lines)


def _console_line(config: Config, week: str) -> str:
    """The week's console page under the summary, when the console has an address."""
    public_url = config.server.public_url
    return "\n" + texts.CONSOLE.format(url=week_link(public_url, week)) if public_url else ""


def _digest(notices: list[Notice], unit_names: dict[str, str], config: Config, today: date) -> str:
    lines = [texts.DIGEST_HEADER.format(count=len(notices))]
    for number, n in enumerate(notices, start=1):
        when = notice_when(n, config.schedule.tz, today=today)
        unit = unit_names.get(n.unit_id, n.unit_id)
        channels = texts.names(n.channels)
        lines.append(texts.DIGEST_ITEM.format(number=number, when=when, unit=unit, theme=n.theme, channels=channels, media=n.media, liaison=n.liaison))
    return "\n".join(lines)
