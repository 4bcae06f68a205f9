"""Each unit's status in a week as the office sees it: 已报送, 未报送 or 免报."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from common.deadlines import ReportingCalendar
from reports import labels
from storage.reports import ReportHeader, units_with_reports

SUBMITTED, MISSING, EXEMPT = "已报送", "未报送", "免报"


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
        return labels.timeliness(self.header.on_time) if self.header.revisions else ""

    @property
    def revised(self) -> bool:
        return self.header.revisions > 1

    @property
    def revised_late(self) -> bool:
        """Sent on time, then revised after the deadline: still 按时, with the revision called out."""
        return bool(self.header.on_time) and self.header.latest_on_time is False


def week_statuses(*, session: Session, calendar: ReportingCalendar, week: str) -> list[UnitStatus]:
    """Every active unit's status for the week, in unit id order (one query)."""
    exempt = calendar.plan(week).exempt
    return [UnitStatus(header, exempt) for header in units_with_reports(session=session, week=week)]


def describe(status: UnitStatus, tz) -> str:
    """The status in a few words, e.g. "已报送 11-26 09:00 按时" or "已报送 11-26 09:00 按时 截止后修改"."""
    if status.state != SUBMITTED:
        return status.state
    revised = f" {labels.REVISED_LATE}" if status.revised_late else " 已修改" if status.revised else ""
    return f"{SUBMITTED} {labels.short_time(status.header.submitted_at, tz)} {status.timeliness}{revised}"
