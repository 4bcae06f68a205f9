"""One week as the office reads it: every unit's status, the current reports, the notices of the week."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlmodel import Session

from common.config import Config
from common.deadlines import ReportingCalendar
from common.weeks import week_start
from reports.status import UnitStatus, week_statuses
from storage.models import Notice
from storage.notices import notices_of_week
from storage.people import known_names
from storage.reports import SavedReport, current_reports


@dataclass(frozen=True)
class WeekData:
    """Everything an export shows for one week, already read from the database."""

    week: str
    tz: object
    advance_days: int
    statuses: list[UnitStatus]
    reports: list[SavedReport]
    notices: list[Notice]
    names: dict[str, str]  # unit id -> name
    submitters: dict[str, str]  # unit id -> who sent its current report: the name, else the userid
    vias: dict[str, str]  # unit id -> how its current report was sent (common.via)

    def unit_name(self, saved: SavedReport) -> str:
        return self.names[saved.report.unit_id]


def week_data(*, session: Session, config: Config, calendar: ReportingCalendar, week: str) -> WeekData:
    """Read the week: every unit's status, the current reports, and the notices of events in or sent during the week."""
    tz = config.schedule.tz
    statuses = week_statuses(session=session, calendar=calendar, week=week)
    start = datetime.combine(week_start(week), time(0), tzinfo=tz)
    reports = current_reports(session=session, week=week)
    return WeekData(
        week=week,
        tz=tz,
        advance_days=config.schedule.advance_days,
        statuses=statuses,
        reports=reports,
        notices=notices_of_week(session=session, start=start, end=start + timedelta(days=7)),
        names={s.header.unit_id: s.name for s in statuses},
        submitters=shown_submitters(session, {saved.report.unit_id: saved.revision.submitted_by for saved in reports}),
        vias={saved.report.unit_id: saved.revision.via for saved in reports},
    )


def shown_submitters(session: Session, by: dict[str, str]) -> dict[str, str]:
    """Who sent each unit's current report (unit id -> userid), by name where one is known."""
    names = known_names(session=session, user_ids=by.values())
    return {unit_id: names.get(user_id, user_id) for unit_id, user_id in by.items()}
