"""Weeks as the office sees them: which week a message means, and each unit's status in it (已报送, 未报送, 免报)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from common.deadlines import ReportingCalendar
from common.weeks import local_week, week_days, week_from_words
from handlers.base import Context, Reply
from storage.queries import ReportHeader, units_with_reports

SUBMITTED, MISSING, EXEMPT = "已报送", "未报送", "免报"
BAD_WEEK = "没看懂周次“{text}”。请写“上周”或“2026-W47”这样的周次。"
ON_TIME, LATE = "按时", "逾期"


@dataclass(frozen=True)
class UnitStatus:
    """One unit in one week: its report header and whether the week is exempt."""

    header: ReportHeader
    exempt: bool = False

    @property
    def name(self) -> str:
        return self.header.unit_name

    @property
    def state(self) -> str:
        if self.header.revisions:
            return SUBMITTED
        return EXEMPT if self.exempt else MISSING

    @property
    def timeliness(self) -> str:
        return timeliness_word(self.header.on_time) if self.header.revisions else ""

    @property
    def revised(self) -> bool:
        return self.header.revisions > 1


def timeliness_word(on_time: bool) -> str:
    return ON_TIME if on_time else LATE


def week_statuses(*, session: Session, calendar: ReportingCalendar, week: str) -> list[UnitStatus]:
    """Every active unit's status for the week, in unit id order (one query)."""
    exempt = calendar.plan(week).exempt
    return [UnitStatus(header, exempt) for header in units_with_reports(session=session, week=week)]


def this_week(ctx: Context) -> str:
    return local_week(ctx.clock(), ctx.tz)


def week_or_reply(text: str, ctx: Context) -> str | Reply:
    """The week the user named (this week when none), or a reply asking again."""
    return week_from_words(text, this_week(ctx)) or Reply(BAD_WEEK.format(text=text))


def short_time(moment: datetime, tz) -> str:
    """A moment as users read it on a phone, e.g. "11-26 09:00", in the bot's timezone."""
    return moment.astimezone(tz).strftime("%m-%d %H:%M")


def week_label(week: str) -> str:
    """The week with its dates, e.g. "2026-W48（11-23至11-29）"."""
    days = week_days(week)
    return f"{week}（{days[0]:%m-%d}至{days[-1]:%m-%d}）"


def describe(status: UnitStatus, tz) -> str:
    """The status in a few words, e.g. "已报送 11-26 09:00 按时"."""
    if status.state != SUBMITTED:
        return status.state
    revised = " 已修改" if status.revised else ""
    return f"{SUBMITTED} {short_time(status.header.submitted_at, tz)} {status.timeliness}{revised}"
