"""How weeks and moments read in Chinese messages, and which week a user's words mean.

Two registers: members get full wording ("11月27日（周五）12:00"); the office's dense lists get
the compact one ("11-27 12:00").
"""

from __future__ import annotations

from datetime import datetime

from common.weeks import local_week, shift_week, week_days, week_from_words
from handlers.base import Context, Reply

WEEKDAY_NAMES = "一二三四五六日"
ON_TIME, LATE = "按时", "逾期"
BAD_WEEK = "没看懂周次“{text}”。请写“上周”或“2026-W47”这样的周次。"


def this_week(ctx: Context) -> str:
    return local_week(ctx.clock(), ctx.tz)


def week_or_reply(text: str, ctx: Context) -> str | Reply:
    """The week the user named (this week when none), or a reply asking again."""
    return week_from_words(text, this_week(ctx)) or Reply(BAD_WEEK.format(text=text))


def this_or_last_week(text: str, ctx: Context) -> str | None:
    """For filing: this week (no words, 本周) or last week (上周); None for any other week."""
    current = this_week(ctx)
    week = week_from_words(text, current)
    return week if week in (current, shift_week(current, -1)) else None


def label(week: str) -> str:
    """"2026-W48（11月23日—11月29日）"."""
    monday, sunday = week_days(week)[0], week_days(week)[-1]
    return f"{week}（{monday.month}月{monday.day}日—{sunday.month}月{sunday.day}日）"


def moment(at: datetime, tz) -> str:
    """"11月27日（周五）12:00" in the given zone."""
    local = at.astimezone(tz)
    return f"{local.month}月{local.day}日（周{WEEKDAY_NAMES[local.weekday()]}）{local:%H:%M}"


def short_label(week: str) -> str:
    """"2026-W48（11-23至11-29）", for the office's lists."""
    days = week_days(week)
    return f"{week}（{days[0]:%m-%d}至{days[-1]:%m-%d}）"


def short_time(at: datetime, tz) -> str:
    """"11-26 09:00" in the given zone, for the office's lists."""
    return at.astimezone(tz).strftime("%m-%d %H:%M")


def timeliness(on_time: bool) -> str:
    return ON_TIME if on_time else LATE
