"""A week's reporting status per unit (已报送 with time and 按时/逾期, 未报送, 免报), shared by replies and the export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from common.deadlines import ReportingCalendar
from common.weeks import week_days
from storage.models import Report, Unit
from storage.queries import units_with_reports

SUBMITTED, MISSING, EXEMPT = "已报送", "未报送", "免报"
ON_TIME, LATE = "按时", "逾期"


@dataclass(frozen=True)
class UnitStatus:
    """One unit in one week; `report` is the header of its report, if any."""

    unit: Unit
    state: str
    report: Report | None = None

    @property
    def timeliness(self) -> str:
        return timeliness_word(self.report.on_time) if self.report else ""

    @property
    def revised(self) -> bool:
        return self.report is not None and self.report.current_revision > 1


def timeliness_word(on_time: bool) -> str:
    return ON_TIME if on_time else LATE


def status_of(unit: Unit, report: Report | None, *, exempt: bool) -> UnitStatus:
    if report is not None:
        return UnitStatus(unit, SUBMITTED, report)
    return UnitStatus(unit, EXEMPT if exempt else MISSING)


def week_statuses(*, session: Session, calendar: ReportingCalendar, week: str) -> list[UnitStatus]:
    """Every active unit's status for the week, in unit id order (one query)."""
    exempt = calendar.plan(week).exempt
    return [status_of(unit, report, exempt=exempt) for unit, report in units_with_reports(session=session, week=week)]


def short_time(moment: datetime, tz) -> str:
    """A moment as users read it on a phone, e.g. "11-26 09:00", in the bot's timezone."""
    return moment.astimezone(tz).strftime("%m-%d %H:%M")


def week_label(week: str) -> str:
    """The week with its dates, e.g. "2026-W48（11-23至11-29）"."""
    days = week_days(week)
    return f"{week}（{days[0]:%m-%d}至{days[-1]:%m-%d}）"


def describe(status: UnitStatus, tz) -> str:
    """The status in a few words, e.g. "已报送 11-26 09:00 按时"."""
    if status.report is None:
        return status.state
    revised = " 已修改" if status.revised else ""
    return f"{SUBMITTED} {short_time(status.report.first_submitted_at, tz)} {status.timeliness}{revised}"
