"""How weeks and moments read in Chinese messages, and the 本周/上周 argument."""

from __future__ import annotations

from datetime import datetime, timedelta

from handlers.base import Context
from common.weeks import local_week, parse_week, shift_week, week_start

WEEKDAY_NAMES = "一二三四五六日"


def this_or_last_week(args: str, ctx: Context) -> str | None:
    """"" or 本周 → this week; 上周 → last week; anything else → None."""
    this_week = local_week(ctx.clock(), ctx.tz)
    return {"": this_week, "本周": this_week, "上周": shift_week(this_week, -1)}.get(args.strip())


def any_week(args: str, ctx: Context) -> str | None:
    """Like this_or_last_week, and also an explicit ISO week such as 2026-W47."""
    return this_or_last_week(args, ctx) or parse_week(args)


def label(week: str) -> str:
    """"2026-W48（11月23日—11月29日）"."""
    monday = week_start(week)
    sunday = monday + timedelta(days=6)
    return f"{week}（{monday.month}月{monday.day}日—{sunday.month}月{sunday.day}日）"


def moment(at: datetime, tz) -> str:
    """"11月27日（周五）12:00" in the given zone."""
    local = at.astimezone(tz)
    return f"{local.month}月{local.day}日（周{WEEKDAY_NAMES[local.weekday()]}）{local:%H:%M}"


def timeliness(on_time: bool) -> str:
    return "按时" if on_time else "逾期"
