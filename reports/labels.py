"""How weeks and moments read in Chinese messages, pushes and exports: the one place that spells them.

A week is always "第48周（11月23日—29日）". Moments come in two registers: members get full wording
("11月27日（周五）12:00"); the office's dense lists the compact one ("11-27 12:00").
"""

from __future__ import annotations

from datetime import date, datetime

from common.weeks import week_days

WEEKDAY_NAMES = "一二三四五六日"
ON_TIME, LATE = "按时", "逾期"


def week_label(week: str) -> str:
    """"第48周（11月23日—29日）"; the month is repeated at the end only when the week spans two."""
    days = week_days(week)
    monday, sunday = days[0], days[-1]
    end = f"{sunday.day}日" if sunday.month == monday.month else day_label(sunday)
    return f"第{int(week[6:])}周（{day_label(monday)}—{end}）"


def day_label(day: date) -> str:
    """"11月27日"."""
    return f"{day.month}月{day.day}日"


def moment(at: datetime, tz) -> str:
    """"11月27日（周五）12:00" in the given zone."""
    local = at.astimezone(tz)
    return f"{day_label(local)}（周{WEEKDAY_NAMES[local.weekday()]}）{local:%H:%M}"


def short_time(at: datetime, tz) -> str:
    """"11-26 09:00" in the given zone, for the office's lists."""
    return at.astimezone(tz).strftime("%m-%d %H:%M")


def timeliness(on_time: bool) -> str:
    return ON_TIME if on_time else LATE

