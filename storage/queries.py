"""Read-only queries for the office: one week across all units, one unit across weeks, campaign counts.

Each query is a fixed number of statements whatever the number of units (joins and IN, never one per unit).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable

from sqlalchemy import and_, func
from sqlmodel import Session, col, select

from storage.models import Article, Membership, Report, ReportRevision, Unit
from storage.reports import SavedReport
from storage.units import UnitRef


@dataclass(frozen=True)
class ReportHeader:
    """A unit's standing in one week as plain values (no ORM objects, so 状态 stays fast at thousands of units)."""

    unit_id: str
    unit_name: str
    submitted_at: datetime | None = None  # the first submission
    on_time: bool | None = None  # of the first submission
    revisions: int = 0  # 0: not reported


_HEADER_COLUMNS = (Unit.id, Unit.name, Report.first_submitted_at, Report.on_time, Report.current_revision)


def units_with_reports(*, session: Session, week: str) -> list[ReportHeader]:
    """Every active unit with its report header for the week (revisions 0 when it has not reported), by unit id."""
    joined = and_(Report.unit_id == Unit.id, Report.week == week, Report.current_revision > 0)
    statement = select(*_HEADER_COLUMNS).outerjoin(Report, joined).where(Unit.active == True).order_by(Unit.id)  # noqa: E712
    return [ReportHeader(*row[:4], revisions=row[4] or 0) for row in session.exec(statement).all()]


def units_missing_report(*, session: Session, week: str) -> list[Unit]:
    """Active units with no submitted report for the week, by id: one statement, and only those rows loaded."""
    reported = select(Report.unit_id).where(Report.week == week, Report.current_revision > 0)
    statement = select(Unit).where(Unit.active == True, col(Unit.id).not_in(reported)).order_by(Unit.id)  # noqa: E712
    return list(session.exec(statement).all())


def units_reported_late(*, session: Session, week: str) -> list[Unit]:
    """Active units whose first submission for the week came after the deadline, by id."""
    late = and_(Report.unit_id == Unit.id, Report.week == week, Report.current_revision > 0, Report.on_time == False)  # noqa: E712
    statement = select(Unit).join(Report, late).where(Unit.active == True).order_by(Unit.id)  # noqa: E712
    return list(session.exec(statement).all())


def reports_of_unit(*, session: Session, unit_id: str, weeks: Iterable[str]) -> dict[str, ReportHeader]:
    """The unit's report headers for the given weeks, keyed by week (weeks without a report are absent)."""
    statement = (
        select(Report.week, *_HEADER_COLUMNS)
        .join(Report, Report.unit_id == Unit.id)
        .where(Unit.id == unit_id, col(Report.week).in_(list(weeks)), Report.current_revision > 0)
    )
    return {row[0]: ReportHeader(*row[1:5], revisions=row[5]) for row in session.exec(statement).all()}


def current_reports(*, session: Session, week: str) -> list[SavedReport]:
    """Every active unit's current revision of the week with its articles, in unit id order (two statements)."""
    current = and_(ReportRevision.report_id == Report.id, ReportRevision.number == Report.current_revision)
    statement = (
        select(Report, ReportRevision)
        .join(ReportRevision, current)
        .join(Unit, Unit.id == Report.unit_id)
        .where(Report.week == week, Unit.active == True)  # noqa: E712
        .order_by(Report.unit_id)
    )
    pairs = session.exec(statement).all()
    articles = _articles_by_revision(session, [revision.id for _, revision in pairs])
    return [SavedReport(report, revision, articles[revision.id]) for report, revision in pairs]


def article_counts(*, session: Session, first_week: str, last_week: str) -> list[tuple[str, str, int]]:
    """(week, channel, count) of the articles in current revisions of weeks first_week..last_week."""
    current = and_(ReportRevision.report_id == Report.id, ReportRevision.number == Report.current_revision)
    statement = (
        select(Report.week, Article.channel, func.count(Article.id))
        .join(ReportRevision, current)
        .join(Article, Article.revision_id == ReportRevision.id)
        .where(Report.week >= first_week, Report.week <= last_week)  # "YYYY-Www" sorts as text
        .group_by(Report.week, Article.channel)
    )
    return [(week, channel, count) for week, channel, count in session.exec(statement).all()]


def members_by_unit(*, session: Session, unit_ids: Iterable[str]) -> dict[str, list[str]]:
    """The members of each given unit, sorted; units without members are absent."""
    statement = select(Membership.unit_id, Membership.user_id).where(col(Membership.unit_id).in_(list(unit_ids)))
    members: dict[str, list[str]] = defaultdict(list)
    for unit_id, user_id in session.exec(statement.order_by(Membership.user_id)).all():
        members[unit_id].append(user_id)
    return dict(members)


def active_unit_refs(*, session: Session) -> list[UnitRef]:
    """Id and name of every active unit, by id: enough to match what an admin typed, without loading whole rows."""
    statement = select(Unit.id, Unit.name).where(Unit.active == True).order_by(Unit.id)  # noqa: E712
    return [UnitRef(*row) for row in session.exec(statement).all()]


def unit_names(*, session: Session, unit_ids: Iterable[str]) -> dict[str, str]:
    statement = select(Unit.id, Unit.name).where(col(Unit.id).in_(set(unit_ids)))
    return dict(session.exec(statement).all())


def _articles_by_revision(session: Session, revision_ids: list[int]) -> dict[int, list[Article]]:
    statement = select(Article).where(col(Article.revision_id).in_(revision_ids)).order_by(Article.revision_id, Article.position)
    articles: dict[int, list[Article]] = defaultdict(list)
    for article in session.exec(statement).all():
        articles[article.revision_id].append(article)
    return articles
