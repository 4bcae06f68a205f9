"""Campaign progress against the plan's targets, counted from the 类型 of articles in current reports.

A week belongs to the quarter of its Thursday (the ISO rule), so the week of July 1 counts in the third quarter.
Weekly targets judge finished, non-exempt weeks; quarterly targets judge finished quarters; the current period is reported apart.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from sqlmodel import Session

from common.config import CampaignTarget, Period
from common.weeks import shift_week, week_start
from storage.reports import article_counts

QUARTER_NAME = "{year}年第{quarter}季度"


@dataclass(frozen=True)
class TargetProgress:
    """One target's standing: for period targets `done`/`judged` count periods met, `current` the open period."""

    target: CampaignTarget
    done: int
    judged: int = 0
    current: int = 0
    short: list[str] = field(default_factory=list)


def weeks_between(first: str, last: str) -> list[str]:
    weeks = [first]
    while weeks[-1] < last:
        weeks.append(shift_week(weeks[-1], 1))
    return weeks


def weekly_counts(session: Session, weeks: list[str]) -> dict[str, Counter]:
    """Articles per week and 类型, from the current revision of every report in the weeks (one query)."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for week, channel, count in article_counts(session=session, first_week=weeks[0], last_week=weeks[-1]):
        counts[week][channel] += count
    return counts


def progress_of(target: CampaignTarget, weeks: list[str], counts: dict[str, Counter], exempt: set[str]) -> TargetProgress:
    """How far one target is, over the weeks from the campaign's start to this one (the last)."""
    if target.per is Period.CAMPAIGN:
        return TargetProgress(target, done=sum(counts[w][target.type] for w in weeks))
    if target.per is Period.WEEK:
        periods = {w: counts[w][target.type] for w in weeks if w not in exempt or w == weeks[-1]}
        return _judge(target, periods, current=weeks[-1])
    periods: dict[str, int] = defaultdict(int)
    for week in weeks:
        periods[quarter_of(week)] += counts[week][target.type]
    return _judge(target, periods, current=quarter_of(weeks[-1]))


def quarter_of(week: str) -> str:
    thursday = week_start(week) + timedelta(days=3)
    return QUARTER_NAME.format(year=thursday.year, quarter=(thursday.month - 1) // 3 + 1)


def _judge(target: CampaignTarget, periods: dict[str, int], *, current: str) -> TargetProgress:
    """Finished periods are met or short; the current one is only reported."""
    finished = {name: count for name, count in periods.items() if name != current}
    short = [name for name, count in finished.items() if count < target.target]
    met = len(finished) - len(short)
    return TargetProgress(target, done=met, judged=len(finished), current=periods.get(current, 0), short=short)
