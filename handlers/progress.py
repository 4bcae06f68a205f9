"""进度: the campaign against the plan's targets, counted from the 类型 of articles in current reports since the start.

A week belongs to the quarter of its Thursday (the ISO rule), so the week of July 1 counts in the third quarter.
Weekly targets judge finished, non-exempt weeks; quarterly targets judge finished quarters; the current period is shown apart.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from common.config import CampaignTarget
from common.weeks import shift_week, week_of, week_start
from handlers.base import Context, Incoming, Reply
from handlers.router import ADMINS, Router
from handlers.week_texts import this_week
from storage.queries import article_counts

HEADER = "执行宣传进度（{start} 起，至 {week}）："
NOT_STARTED = "宣传活动自 {start} 开始，目前还没有进度。"
CAMPAIGN_LINE = "{type}：{done}/{target}，{state}"
BEHIND = "还差 {count}"
DONE = "已完成"
WEEK_LINE = "{type}：每周至少 {target}，达标 {done}/{judged} 周，本周 {current}/{target}"
QUARTER_LINE = "{type}：每季度至少 {target}，本季度 {current}/{target}"
QUARTER_PAST = "，往季达标 {done}/{judged}"
SHORT_OF = "；未达标：{periods}"
QUARTER_NAME = "{year}年第{quarter}季度"
MORE = "等 {count} 个"
MAX_LISTED = 6


@dataclass(frozen=True)
class TargetProgress:
    """One target's standing: for period targets `done`/`judged` count periods met, `current` the open period."""

    target: CampaignTarget
    done: int
    judged: int = 0
    current: int = 0
    short: list[str] = field(default_factory=list)


def register(router: Router) -> None:
    router.command("进度", who=ADMINS, usage="进度 — 宣传活动目标完成情况")(show_progress)


def show_progress(msg: Incoming, ctx: Context) -> Reply:
    today = ctx.local_now().date()
    start = ctx.config.campaign.start_for(today)
    if today < start:
        return Reply(NOT_STARTED.format(start=start))
    week = this_week(ctx)
    weeks = weeks_between(week_of(start), week)
    counts = weekly_counts(ctx, weeks)
    exempt = {w for w in weeks if ctx.calendar.plan(w).exempt}
    lines = [HEADER.format(start=start, week=week)]
    lines += [describe(progress_of(t, weeks, counts, exempt)) for t in ctx.config.campaign.effective_targets()]
    return Reply("\n".join(lines))


def weeks_between(first: str, last: str) -> list[str]:
    weeks = [first]
    while weeks[-1] < last:
        weeks.append(shift_week(weeks[-1], 1))
    return weeks


def weekly_counts(ctx: Context, weeks: list[str]) -> dict[str, Counter]:
    """Articles per week and 类型, from the current revision of every report in the weeks (one query)."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for week, channel, count in article_counts(session=ctx.session, first_week=weeks[0], last_week=weeks[-1]):
        counts[week][channel] += count
    return counts


def progress_of(target: CampaignTarget, weeks: list[str], counts: dict[str, Counter], exempt: set[str]) -> TargetProgress:
    """How far one target is, over the weeks from the campaign's start to this one (the last)."""
    if target.per == "campaign":
        return TargetProgress(target, done=sum(counts[w][target.type] for w in weeks))
    if target.per == "week":
        periods = {w: counts[w][target.type] for w in weeks if w not in exempt or w == weeks[-1]}
        return _judge(target, periods, current=weeks[-1])
    periods: dict[str, int] = defaultdict(int)
    for week in weeks:
        periods[quarter_of(week)] += counts[week][target.type]
    return _judge(target, periods, current=quarter_of(weeks[-1]))


def quarter_of(week: str) -> str:
    thursday = week_start(week) + timedelta(days=3)
    return QUARTER_NAME.format(year=thursday.year, quarter=(thursday.month - 1) // 3 + 1)


def describe(progress: TargetProgress) -> str:
    """One line per target for the phone."""
    target = progress.target
    values = dict(type=target.type, target=target.target, done=progress.done, judged=progress.judged, current=progress.current)
    if target.per == "campaign":
        missing = target.target - progress.done
        return CAMPAIGN_LINE.format(**values, state=BEHIND.format(count=missing) if missing > 0 else DONE)
    line = (WEEK_LINE if target.per == "week" else QUARTER_LINE).format(**values)
    if target.per == "quarter" and progress.judged:
        line += QUARTER_PAST.format(**values)
    return line + (SHORT_OF.format(periods=_listed(progress.short)) if progress.short else "")


def _judge(target: CampaignTarget, periods: dict[str, int], *, current: str) -> TargetProgress:
    """Finished periods are met or short; the current one is only reported."""
    finished = {name: count for name, count in periods.items() if name != current}
    short = [name for name, count in finished.items() if count < target.target]
    met = len(finished) - len(short)
    return TargetProgress(target, done=met, judged=len(finished), current=periods.get(current, 0), short=short)


def _listed(periods: list[str]) -> str:
    shown = "、".join(periods[:MAX_LISTED])
    return shown + (MORE.format(count=len(periods)) if len(periods) > MAX_LISTED else "")
