"""When a week's report is due, on China's working calendar (workdays, holidays, make-up workdays)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from common.config import HolidayPolicy, ScheduleConfig, WeeklyTime
from common.holidays import is_workday
from common.weeks import week_days


@dataclass(frozen=True)
class WeekPlan:
    """One reporting week's moments, already moved for holidays; exempt weeks have none."""

    week: str
    exempt: bool
    deadline: datetime | None = None
    reminder: datetime | None = None
    overdue_alert: datetime | None = None
    nudge: datetime | None = None


class ReportingCalendar:
    """The single place that turns `[schedule]` and the holiday calendar into a week's deadline."""

    def __init__(self, schedule: ScheduleConfig):
        self.schedule = schedule
        self.tz = schedule.tz
        self._plans: dict[str, WeekPlan] = {}

    def plan(self, week: str) -> WeekPlan:
        """The week's moments; worked out once per week (a dozen calendar lookups), as most messages ask for this week's."""
        plan = self._plans.get(week)
        if plan is None:
            plan = self._plans[week] = self._work_out(week)
        return plan

    def _work_out(self, week: str) -> WeekPlan:
        if week in self.schedule.exempt_weeks:
            return WeekPlan(week, exempt=True)
        days = week_days(week)
        nominal = days[self.schedule.deadline.weekday]
        due_day = self._due_day(days, nominal)
        if due_day is None:
            return WeekPlan(week, exempt=True)
        shift = due_day - nominal
        return WeekPlan(
            week,
            exempt=False,
            deadline=self._at(due_day, self.schedule.deadline),
            reminder=self._moved(days, self.schedule.reminder, shift),
            overdue_alert=self._moved(days, self.schedule.overdue_alert, shift),
            nudge=self._moved(days, self.schedule.nudge, shift) if self.schedule.nudge else None,
        )

    def deadline(self, week: str) -> datetime | None:
        """The week's deadline, or None when the week is exempt."""
        return self.plan(week).deadline

    def is_late(self, week: str, submitted_at: datetime) -> bool:
        deadline = self.deadline(week)
        return deadline is not None and submitted_at > deadline

    def one_workday_after(self, at: datetime) -> datetime:
        """The same time of day on the first workday after `at`'s day: the end of "within one workday" of `at`.

        Returned on Friday 15:00, a report may be resubmitted until Monday 15:00; a holiday moves that on.
        """
        local = at.astimezone(self.tz)
        day = local.date() + timedelta(days=1)
        while not self._is_workday(day):
            day += timedelta(days=1)
        return datetime.combine(day, local.time(), tzinfo=self.tz)

    def _is_workday(self, day: date) -> bool:
        if self.schedule.holiday_policy is HolidayPolicy.IGNORE:
            return day.weekday() < 5
        return is_workday(day)

    def _due_day(self, days: list[date], nominal: date) -> date | None:
        if self.schedule.holiday_policy is HolidayPolicy.IGNORE:
            return nominal
        if not any(is_workday(d) for d in days):
            return None
        earlier = [d for d in days if d <= nominal and is_workday(d)]
        return earlier[-1] if earlier else nominal

    def _moved(self, days: list[date], moment: WeeklyTime, shift: timedelta) -> datetime:
        """A moment moved by the deadline's shift, stepped back further if it lands off work, never before Monday."""
        day = days[moment.weekday] + shift
        while self.schedule.holiday_policy is not HolidayPolicy.IGNORE and day > days[0] and not is_workday(day):
            day -= timedelta(days=1)
        return self._at(max(day, days[0]), moment)

    def _at(self, day: date, moment: WeeklyTime) -> datetime:
        return datetime.combine(day, moment.at, tzinfo=self.tz)
