"""Read-only queries for the office: one week across all units, one unit across weeks, campaign counts.

Each query is a fixed number of statements whatever the number of units (joins and IN, never one per unit).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from sqlalchemy import and_, func
from sqlmodel import Session, col, select

from storage.models import Article, Membership, Report, ReportRevision, Unit
from storage.reports import SavedReport


def units_with_reports(*, session: Session, week: str) -> list[tuple[Unit, Report | None]]:
    """Every active unit with its report header for the week (None when it has not reported), by unit id."""
    joined = and_(Report.unit_id == Unit.id, Report.week == week, Report.current_revision > 0)
    statement = select(Unit, Report).outerjoin(Report, joined).where(Unit.active == True).order_by(Unit.id)  # noqa: E712
    return [(unit, report) for unit, report in session.exec(statement).all()]


def reports_of_unit(*, session: Session, unit_id: str, weeks: Iterable[str]) -> dict[str, Report]:
    """The unit's report headers for the given weeks, keyed by week (weeks without one are absent)."""
    statement = select(Report).where(Report.unit_id == unit_id, col(Report.week).in_(list(weeks)), Report.current_revision > 0)
    return {r.week: r for r in session.exec(statement).all()}


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


def unit_names(*, session: Session, unit_ids: Iterable[str]) -> dict[str, str]:
    statement = select(Unit.id, Unit.name).where(col(Unit.id).in_(set(unit_ids)))
    return dict(session.exec(statement).all())


def _articles_by_revision(session: Session, revision_ids: list[int]) -> dict[int, list[Article]]:
    statement = select(Article).where(col(Article.revision_id).in_(revision_ids)).order_by(Article.revision_id, Article.position)
    articles: dict[int, list[Article]] = defaultdict(list)
    for article in session.exec(statement).all():
        articles[article.revision_id].append(article)
    return articles
