"""进度: the campaign against the plan's targets with who contributed (admins), and one unit against its share
(进度 <单位>; a member's 进度 is their own unit's). Lists fold so that each line fits a phone.
"""

from __future__ import annotations

from collections import Counter

from common.config import CampaignTarget, Period
from common.weeks import week_of
from handlers.base import Context, Incoming, Refusal, Reply
from handlers.router import Audience, Router
from reports.campaign import TargetProgress, contributions, progress_of, unit_progress_of, weekly_counts, weeks_between
from reports.labels import week_label, week_number
from reports.unitmatch import find_unit, short_names
from storage.units import UnitRef, unit_names

USAGE = "进度 [单位] — 宣传活动目标完成情况"
MEMBER_USAGE = "进度 — 本单位宣传任务完成情况"
HEADER = "执行宣传进度：{start} 起至{week}"
UNIT_HEADER = "{unit} 执行宣传进度\n{start} 起至{week}"
NOT_STARTED = "宣传活动自 {start} 开始，目前还没有进度。"
OWN_UNIT_ONLY = "您只能查看本单位的进度，请发送“进度”。"
CAMPAIGN_LINE = "{type}：{done}/{target}，{state}"
BEHIND = "还差 {count}"
DONE = "已完成"
WEEK_LINE = "{type}：每周至少 {target}，本周 {current}/{target}"
QUARTER_LINE = "{type}：每季度至少 {target}，本季度 {current}/{target}"
WEEKS_MET = "  达标 {done}/{judged} 周"
QUARTERS_MET = "  往季达标 {done}/{judged}"
SHORT_OF = "  未达标：{periods}"
NO_SHARE = "{type}：已报 {total}，不设单位任务"
NO_SHARE_PERIOD = "{type}：已报 {total}，{period} {current}，不设单位任务"
THIS_PERIOD = {Period.WEEK: "本周", Period.QUARTER: "本季度"}
BY_UNIT = "  各单位：{units}"
BY_UNIT_SO_FAR = "  各单位累计：{units}"
CONTRIBUTION = "{unit} {count}"
MORE_PERIODS = "等 {count} 个"
MORE_UNITS = " 等 {count} 个单位"
MAX_PERIODS = 4
MAX_UNITS = 4


def register(router: Router) -> None:
    router.command("进度", who=Audience.ANYONE, usage=USAGE, member_usage=MEMBER_USAGE)(show_progress)


def show_progress(msg: Incoming, ctx: Context) -> Reply:
    today = ctx.local_now().date()
    start = ctx.config.campaign.start_for(today)
    if today < start:
        return Reply(NOT_STARTED.format(start=start))
    unit = _unit_asked(msg.args, ctx)
    week = ctx.this_week()
    weeks = weeks_between(week_of(start), week)
    exempt = {w for w in weeks if ctx.calendar.plan(w).exempt}
    if unit is None:
        lines = [HEADER.format(start=start, week=week_label(week)), *_all_units(ctx, weeks, exempt)]
    else:
        lines = [UNIT_HEADER.format(unit=unit.name, start=start, week=week_label(week)), *_one_unit(ctx, unit, weeks, exempt)]
    return Reply("\n".join(lines))


def _unit_asked(text: str, ctx: Context) -> UnitRef | None:
    """The unit whose share to show (None: the whole campaign, for admins); a Refusal saying why there is none.

    Admins may name any unit; a member sees their own unit's share only, named or not.
    """
    if ctx.user.is_admin:
        return ctx.unit_named(text) if text else None
    if text and find_unit(session=ctx.session, text=text) != ctx.unit:
        raise Refusal(OWN_UNIT_ONLY)
    return ctx.unit


def _all_units(ctx: Context, weeks: list[str], exempt: set[str]) -> list[str]:
    counts = weekly_counts(ctx.session, weeks)
    by_type = contributions(ctx.session, weeks)
    names = _short_names(ctx, {unit_id for counter in by_type.values() for unit_id in counter})
    lines = []
    for target in ctx.config.campaign.effective_targets():
        lines += describe(progress_of(target, weeks, counts, exempt))
        lines += _contributors(target, by_type[target.type], names)
    return lines


def _one_unit(ctx: Context, unit: UnitRef, weeks: list[str], exempt: set[str]) -> list[str]:
    counts = weekly_counts(ctx.session, weeks, unit_id=unit.id)
    units = len(ctx.config.units)
    targets = ctx.config.campaign.effective_targets()
    return [line for target in targets for line in describe(unit_progress_of(target, units, weeks, counts, exempt))]


def describe(progress: TargetProgress) -> list[str]:
    """A target's lines: its standing, then the finished periods met and those short (a target of 0: what was sent)."""
    target = progress.target
    values = dict(type=target.type, target=target.target, done=progress.done, judged=progress.judged, current=progress.current)
    if target.target == 0:
        period = THIS_PERIOD.get(target.per)
        return [(NO_SHARE_PERIOD if period else NO_SHARE).format(**values, total=progress.total, period=period)]
    if target.per is Period.CAMPAIGN:
        missing = target.target - progress.done
        return [CAMPAIGN_LINE.format(**values, state=BEHIND.format(count=missing) if missing > 0 else DONE)]
    weekly = target.per is Period.WEEK
    lines = [(WEEK_LINE if weekly else QUARTER_LINE).format(**values)]
    if progress.judged:
        lines.append((WEEKS_MET if weekly else QUARTERS_MET).format(**values))
    short = [week_number(w) for w in progress.short] if weekly else progress.short
    if short:
        lines.append(SHORT_OF.format(periods=_folded(short, MAX_PERIODS, MORE_PERIODS)))
    return lines


def _contributors(target: CampaignTarget, counts: Counter, names: dict[str, str]) -> list[str]:
    """Who sent articles of the target's type, most first (ties in config order); none: no line."""
    if not counts:
        return []
    order = {unit_id: i for i, unit_id in enumerate(names)}
    ranked = sorted(counts.items(), key=lambda item: (-item[1], order[item[0]]))
    listed = [CONTRIBUTION.format(unit=names[unit_id], count=count) for unit_id, count in ranked]
    template = BY_UNIT if target.per is Period.CAMPAIGN else BY_UNIT_SO_FAR
    return [template.format(units=_folded(listed, MAX_UNITS, MORE_UNITS))]


def _short_names(ctx: Context, unit_ids: set[str]) -> dict[str, str]:
    """Short names of the configured units, in config order, then of units gone from the config that still count."""
    configured = [(u.id, u.name, u.short_name) for u in ctx.config.units]
    gone = unit_names(session=ctx.session, unit_ids=unit_ids - {u.id for u in ctx.config.units})
    return short_names(configured + [(unit_id, name, "") for unit_id, name in sorted(gone.items())])


def _folded(items: list[str], limit: int, more: str) -> str:
    shown = "、".join(items[:limit])
    return shown + (more.format(count=len(items)) if len(items) > limit else "")
