"""How weeks and moments read in Chinese messages, pushes and exports: the one place that spells them.

A week is always "第48周（11月23日—29日）", a moment "11月27日（周五）12:00", for clerks and the office
alike. Given the reader's `today`, a day or moment in another year carries its year ("2027年1月2日").
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from common.weeks import week_days

WEEKDAY_NAMES = "一二三四五六日"
ON_TIME, LATE = "按时", "逾期"
RANGE = "至"
REVISED_LATE = "截止后修改"


def week_number(week: str) -> str:
    """"第48周": the head of the label, for lists of many weeks under a heading that names the year."""
    return f"第{int(week[6:])}周"


def week_label(week: str) -> str:
    """"第48周（11月23日—29日）"; the month is repeated at the end only when the week spans two."""
    days = week_days(week)
    monday, sunday = days[0], days[-1]
    end = f"{sunday.day}日" if sunday.month == monday.month else day_label(sunday)
    return f"{week_number(week)}（{day_label(monday)}—{end}）"


def dated_week_label(week: str) -> str:
    """"2026年第48周（11月23日—29日）": for paper that is filed and forwarded, where no today is at hand."""
    return f"{week[:4]}年{week_label(week)}"


def day_label(day: date, today: date | None = None) -> str:
    """"11月27日"; "2027年1月2日" when `today` is given and falls in another year."""
    if _in_another_year(day, today):
        return dated_label(day)
    return f"{day.month}月{day.day}日"


def dated_label(day: date) -> str:
    """"2027年9月20日": a day with its year, for when the year itself is in question."""
    return f"{day.year}年{day_label(day)}"


def moment(at: datetime, tz, today: date | None = None) -> str:
    """"11月27日（周五）12:00" in the given zone; with the year when it is not `today`'s."""
    return f"{_day_and_weekday(at, tz, today)}{at.astimezone(tz):%H:%M}"


def span(start: datetime, end: datetime | None, part: str | None, tz, today: date | None = None) -> str:
    """An event's time: "12月3日（周四）09:30-11:30", "11月27日（周五）上午", "12月4日（周五）至12月5日（周六）".

    An end is exclusive, so a whole day ends at the next midnight.
    """
    if part:
        first = _day_and_weekday(start, tz, today)
        last = _day_and_weekday(end - timedelta(minutes=1) if end else start, tz, today)
        return f"{first}{part}" if last == first else f"{first}{RANGE}{last}"
    if end is None:
        return moment(start, tz, today)
    if _day_and_weekday(end, tz, today) == _day_and_weekday(start, tz, today):
        return f"{moment(start, tz, today)}-{end.astimezone(tz):%H:%M}"
    return f"{moment(start, tz, today)}{RANGE}{moment(end, tz, today)}"


def _day_and_weekday(at: datetime, tz, today: date | None) -> str:
    local = at.astimezone(tz)
    return f"{day_label(local.date(), today)}（周{WEEKDAY_NAMES[local.weekday()]}）"


def _in_another_year(day: date, today: date | None) -> bool:
    return today is not None and today.year != day.year


def timeliness(on_time: bool) -> str:
    return ON_TIME if on_time else LATE


def revision_timeliness(*, first_on_time: bool, on_time: bool) -> str:
    """A revision's timeliness: a late revision of a report first sent on time is 截止后修改, not 逾期."""
    return REVISED_LATE if first_on_time and not on_time else timeliness(on_time)
