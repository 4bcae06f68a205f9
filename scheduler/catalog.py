"""The job catalog: each job's cadence (weekly on the reporting calendar, or daily), cron wake-up and due moments."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from common.config import WEEKDAYS, ScheduleConfig, WeeklyTime
from common.deadlines import ReportingCalendar
from common.weeks import local_week, shift_week
from scheduler import jobs


class Cadence:
    """How often a job is due; `key` names its `[schedule]` setting."""

    def __init__(self, key: str):
        self.key = key

    def setting(self, schedule: ScheduleConfig) -> WeeklyTime | time | None:
        return getattr(schedule, self.key)


class Weekly(Cadence):
    """Due once per ISO week at a `[schedule]` moment (reminder, nudge, overdue_alert) that holidays may move."""

    def period(self, now: datetime, tz: ZoneInfo) -> str:
        return local_week(now, tz)

    def shift(self, period: str, steps: int) -> str:
        return shift_week(period, steps)

    def moment(self, period: str, calendar: ReportingCalendar) -> datetime | None:
        return getattr(calendar.plan(period), self.key)

    def trigger(self, schedule: ScheduleConfig) -> CronTrigger:
        """Wakes on every day the moment may fall on: holidays only move it earlier in its week."""
        at = self.setting(schedule)
        day_of_week = f"mon-{WEEKDAYS[at.weekday]}"
        return CronTrigger(day_of_week=day_of_week, hour=at.at.hour, minute=at.at.minute, timezone=schedule.tz)


class Daily(Cadence):
    """Due every day at a `[schedule]` time of day (the notice digest)."""

    def period(self, now: datetime, tz: ZoneInfo) -> str:
        return now.astimezone(tz).date().isoformat()

    def shift(self, period: str, steps: int) -> str:
        return (date.fromisoformat(period) + timedelta(days=steps)).isoformat()

    def moment(self, period: str, calendar: ReportingCalendar) -> datetime:
        return datetime.combine(date.fromisoformat(period), self.setting(calendar.schedule), tzinfo=calendar.tz)

    def trigger(self, schedule: ScheduleConfig) -> CronTrigger:
        at = self.setting(schedule)
        return CronTrigger(hour=at.hour, minute=at.minute, timezone=schedule.tz)


@dataclass(frozen=True)
class Job:
    name: str
    cadence: Weekly | Daily
    body: Callable[..., None]

    def enabled(self, schedule: ScheduleConfig) -> bool:
        return self.cadence.setting(schedule) is not None

    def describe(self, schedule: ScheduleConfig) -> str:
        """The configured moment as written in the config ("thu 15:00", "daily 09:00"), or "off"."""
        setting = self.cadence.setting(schedule)
        if setting is None:
            return "off"
        return f"daily {setting:%H:%M}" if isinstance(setting, time) else str(setting)


JOBS = (
    Job("thursday_reminder", Weekly("reminder"), jobs.thursday_reminder),
    Job("friday_nudge", Weekly("nudge"), jobs.friday_nudge),
    Job("friday_overdue", Weekly("overdue_alert"), jobs.friday_overdue),
    Job("notice_digest", Daily("notice_digest"), jobs.notice_digest),
)


def enabled_jobs(schedule: ScheduleConfig) -> list[Job]:
    """The jobs this config switches on (the nudge only when `nudge` is set)."""
    return [job for job in JOBS if job.enabled(schedule)]


def latest_due(job: Job, now: datetime, calendar: ReportingCalendar) -> tuple[str, datetime] | None:
    """The period whose moment is the latest at or before `now`: this period's, else the one before."""
    period = job.cadence.period(now, calendar.tz)
    for candidate in (period, job.cadence.shift(period, -1)):
        moment = job.cadence.moment(candidate, calendar)
        if moment is not None and moment <= now:
            return candidate, moment
    return None


def next_due(job: Job, now: datetime, calendar: ReportingCalendar, horizon: int = 60) -> datetime | None:
    """The job's next moment after `now` with holidays and exempt weeks applied; None when off or beyond `horizon`."""
    if not job.enabled(calendar.schedule):
        return None
    period = job.cadence.period(now, calendar.tz)
    for step in range(horizon):
        moment = job.cadence.moment(job.cadence.shift(period, step), calendar)
        if moment is not None and moment > now:
            return moment
    return None
