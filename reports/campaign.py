"""Campaign progress against the plan's targets, counted from the 类型 of articles in current reports: in all, by unit,
and for one unit against its share.

A week belongs to the quarter of its Thursday (the ISO rule), so the week of July 1 counts in the third quarter.
Weekly targets judge finished, non-exempt weeks; quarterly targets judge finished quarters; the current period is reported apart.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import timedelta

from sqlmodel import Session

from common.config import CampaignTarget, Period
from common.weeks import shift_week, week_start
from storage.reports import article_counts, unit_article_counts, unit_weekly_article_counts

QUARTER_NAME = "{year}年第{quarter}季度"


@dataclass(frozen=True)
class TargetProgress:
    """One target's standing: for period targets `done`/`judged` count periods met, `current` the open period;
    `total` the articles since the start.
    """

    target: CampaignTarget
    done: int
    judged: int = 0
    current: int = 0
    short: list[str] = field(default_factory=list)
    total: int = 0
    finished: dict[str, int] = field(default_factory=dict)  # each finished period judged, oldest first: its count


def weeks_between(first: str, last: str) -> list[str]:
    weeks = [first]
    while weeks[-1] < last:
        weeks.append(shift_week(weeks[-1], 1))
    return weeks


def weekly_counts(session: Session, weeks: list[str], unit_id: str | None = None) -> dict[str, Counter]:
    """Articles per week and 类型, from the current revision of every report in the weeks, or of one unit's (one query)."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for week, channel, count in article_counts(session=session, first_week=weeks[0], last_week=weeks[-1], unit_id=unit_id):
        counts[week][channel] += count
    return counts


def contributions(session: Session, weeks: list[str]) -> dict[str, Counter]:
    """Articles per 类型 and unit id over the weeks: who contributed to each target (one query)."""
    by_type: dict[str, Counter] = defaultdict(Counter)
    for unit_id, channel, count in unit_article_counts(session=session, first_week=weeks[0], last_week=weeks[-1]):
        by_type[channel][unit_id] += count
    return by_type


def unit_weekly_counts(session: Session, weeks: list[str], unit_ids: list[str]) -> dict[str, dict[str, Counter]]:
    """Articles per unit id, week and 类型 over the weeks, of the given units: their standing against their shares (one query)."""
    counts: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    rows = unit_weekly_article_counts(session=session, first_week=weeks[0], last_week=weeks[-1], unit_ids=unit_ids)
    for unit_id, week, channel, count in rows:
        counts[unit_id][week][channel] += count
    return counts


def progress_of(target: CampaignTarget, weeks: list[str], counts: dict[str, Counter], exempt: set[str]) -> TargetProgress:
    """How far one target is, over the weeks from the campaign's start to this one (the last)."""
    total = sum(counts[w][target.type] for w in weeks)
    if target.per is Period.CAMPAIGN:
        return TargetProgress(target, done=total, total=total)
    if target.per is Period.WEEK:
        periods = {w: counts[w][target.type] for w in weeks if w not in exempt or w == weeks[-1]}
        return _judge(target, periods, current=weeks[-1], total=total)
    periods: dict[str, int] = defaultdict(int)
    for week in weeks:
        periods[quarter_of(week)] += counts[week][target.type]
    return _judge(target, periods, current=quarter_of(weeks[-1]), total=total)


def unit_progress_of(target: CampaignTarget, units: int, weeks: list[str], unit_counts: dict[str, Counter], exempt: set[str]) -> TargetProgress:
    """One unit's standing against its share of the target among `units` units (a share of 0: none, only what it sent)."""
    return progress_of(replace(target, target=target.unit_share(units)), weeks, unit_counts, exempt)


def quarter_of(week: str) -> str:
    thursday = week_start(week) + timedelta(days=3)
    return QUARTER_NAME.format(year=thursday.year, quarter=(thursday.month - 1) // 3 + 1)


def _judge(target: CampaignTarget, periods: dict[str, int], *, current: str, total: int) -> TargetProgress:
    """Finished periods are met or short; the current one is only reported."""
    finished = {name: count for name, count in periods.items() if name != current}
    short = [name for name, count in finished.items() if count < target.target]
    met = len(finished) - len(short)
    return TargetProgress(target, done=met, judged=len(finished), current=periods.get(current, 0), short=short, total=total, finished=finished)
