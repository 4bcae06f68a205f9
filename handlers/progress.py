"""进度: the campaign against the plan's targets (reports.campaign counts), one line per target for the phone."""

from __future__ import annotations

from common.config import Period
from common.weeks import week_of
from handlers.base import Context, Incoming, Reply
from handlers.router import Audience, Router
from reports.campaign import TargetProgress, progress_of, weekly_counts, weeks_between
from reports.labels import week_label, week_number

HEADER = "执行宣传进度：{start} 起至{week}"
NOT_STARTED = "宣传活动自 {start} 开始，目前还没有进度。"
CAMPAIGN_LINE = "{type}：{done}/{target}，{state}"
BEHIND = "还差 {count}"
DONE = "已完成"
WEEK_LINE = "{type}：每周至少 {target}，达标 {done}/{judged} 周，本周 {current}/{target}"
QUARTER_LINE = "{type}：每季度至少 {target}，本季度 {current}/{target}"
QUARTER_PAST = "，往季达标 {done}/{judged}"
SHORT_OF = "；未达标：{periods}"
MORE = "等 {count} 个"
MAX_LISTED = 6


def register(router: Router) -> None:
    router.command("进度", who=Audience.ADMINS, usage="进度 — 宣传活动目标完成情况")(show_progress)


def show_progress(msg: Incoming, ctx: Context) -> Reply:
    today = ctx.local_now().date()
    start = ctx.config.campaign.start_for(today)
    if today < start:
        return Reply(NOT_STARTED.format(start=start))
    week = ctx.this_week()
    weeks = weeks_between(week_of(start), week)
    counts = weekly_counts(ctx.session, weeks)
    exempt = {w for w in weeks if ctx.calendar.plan(w).exempt}
    lines = [HEADER.format(start=start, week=week_label(week))]
    lines += [describe(progress_of(t, weeks, counts, exempt)) for t in ctx.config.campaign.effective_targets()]
    return Reply("\n".join(lines))


def describe(progress: TargetProgress) -> str:
    """One line per target for the phone."""
    target = progress.target
    values = dict(type=target.type, target=target.target, done=progress.done, judged=progress.judged, current=progress.current)
    if target.per is Period.CAMPAIGN:
        missing = target.target - progress.done
        return CAMPAIGN_LINE.format(**values, state=BEHIND.format(count=missing) if missing > 0 else DONE)
    line = (WEEK_LINE if target.per is Period.WEEK else QUARTER_LINE).format(**values)
    if target.per is Period.QUARTER and progress.judged:
        line += QUARTER_PAST.format(**values)
    short = [week_number(w) for w in progress.short] if target.per is Period.WEEK else progress.short
    return line + (SHORT_OF.format(periods=_listed(short)) if short else "")


def _listed(periods: list[str]) -> str:
    shown = "、".join(periods[:MAX_LISTED])
    return shown + (MORE.format(count=len(periods)) if len(periods) > MAX_LISTED else "")
