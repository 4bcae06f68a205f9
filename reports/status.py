"""Each unit's status in a week as the office sees it (已报送, 已退回, 未报送 or 免报), and when a submission counts as 按时.

The one place that decides both: every view, export and receipt reads them from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from common.deadlines import ReportingCalendar
from reports import labels
from storage.reports import ReportHeader, reports_of_unit, units_with_reports

SUBMITTED, RETURNED, MISSING, EXEMPT = "已报送", "已退回", "未报送", "免报"
AWAITING_RESUBMISSION = "待重新提交"


@dataclass(frozen=True)
class UnitStatus:
    """One unit in one week: its report header and whether the week is exempt."""

    header: ReportHeader
    exempt: bool = False

    @property
    def name(self) -> str:
        return self.header.unit_name

    @property
    def has_report(self) -> bool:
        return self.header.revisions > 0

    @property
    def state(self) -> str:
        """已退回 while the current revision is the one sent back: a newer revision makes it 已报送 again."""
        if self.has_report:
            return RETURNED if self.header.returned_at else SUBMITTED
        return EXEMPT if self.exempt else MISSING

    @property
    def timeliness(self) -> str:
        return labels.timeliness(self.header.on_time) if self.has_report else ""

    @property
    def revised(self) -> bool:
        return self.header.revisions > 1

    @property
    def revised_late(self) -> bool:
        """Sent on time, then revised after the deadline: still 按时, with the revision called out."""
        return bool(self.header.on_time) and self.header.latest_on_time is False


@dataclass(frozen=True)
class WeekCounts:
    """How a week stands, counted over its units' statuses."""

    submitted: int
    on_time: int
    missing: int
    returned: int
    exempt: int

    @property
    def late(self) -> int:
        return self.submitted - self.on_time


def week_counts(statuses: list[UnitStatus]) -> WeekCounts:
    submitted = [s for s in statuses if s.state == SUBMITTED]
    return WeekCounts(
        submitted=len(submitted),
        on_time=sum(1 for s in submitted if s.header.on_time),
        missing=sum(1 for s in statuses if s.state == MISSING),
        returned=sum(1 for s in statuses if s.state == RETURNED),
        exempt=sum(1 for s in statuses if s.state == EXEMPT),
    )


def week_statuses(*, session: Session, calendar: ReportingCalendar, week: str) -> list[UnitStatus]:
    """Every active unit's status for the week, in unit id order (one query)."""
    exempt = calendar.plan(week).exempt
    return [UnitStatus(header, exempt) for header in units_with_reports(session=session, week=week)]


def unit_status(*, session: Session, calendar: ReportingCalendar, unit_id: str, unit_name: str, week: str) -> UnitStatus:
    """One unit's status for the week."""
    header = reports_of_unit(session=session, unit_id=unit_id, weeks=[week]).get(week) or ReportHeader(unit_id, unit_name)
    return UnitStatus(header, calendar.plan(week).exempt)


def describe(status: UnitStatus, tz) -> str:
    """The status in a few words: "已报送 11月26日（周四）09:00 按时", "… 按时 截止后修改", "已退回 11月27日（周五）15:00，待重新提交"."""
    if status.state == RETURNED:
        return f"{RETURNED} {labels.moment(status.header.returned_at, tz)}，{AWAITING_RESUBMISSION}"
    if status.state != SUBMITTED:
        return status.state
    revised = f" {labels.REVISED_LATE}" if status.revised_late else " 已修改" if status.revised else ""
    return f"{SUBMITTED} {labels.moment(status.header.submitted_at, tz)} {status.timeliness}{revised}"


def on_time_until(calendar: ReportingCalendar, week: str, *, first_on_time: bool, returned_at: datetime | None) -> datetime | None:
    """The last moment a submission of the week counts as 按时 (None: any time, the week is exempt).

    The deadline; for a report first sent on time and then returned, one workday after the return when that is later.
    """
    deadline = calendar.deadline(week)
    if deadline is None or not (first_on_time and returned_at):
        return deadline
    return max(deadline, calendar.one_workday_after(returned_at))


def submission_on_time(calendar: ReportingCalendar, week: str, before: ReportHeader | None, at: datetime) -> bool:
    """Whether a submission at `at` counts as 按时, the unit's report for the week standing as `before` until then."""
    first_on_time = bool(before and before.on_time)
    until = on_time_until(calendar, week, first_on_time=first_on_time, returned_at=before.returned_at if before else None)
    return until is None or at <= until


def not_yet_due(calendar: ReportingCalendar, week: str, now: datetime) -> bool:
    """Whether the week's deadline is still ahead: a missing report is not 未报 yet (an exempt week has no deadline)."""
    deadline = calendar.deadline(week)
    return deadline is not None and now < deadline
