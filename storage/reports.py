"""Weekly reports (附件1): one current report per unit and week, every revision kept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from sqlalchemy import bindparam, insert
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from storage.models import Article, Report, ReportRevision
from storage.upsert import dialect_insert

REPORT_FIELDS = ("summary", "measures", "practices", "effects", "other", "contact", "phone")


@dataclass(frozen=True)
class ArticleData:
    title: str
    url: str
    channel: str


@dataclass(frozen=True)
class SavedReport:
    report: Report
    revision: ReportRevision
    articles: list[Article]


_REPORTS, _REVISIONS = Report.__table__, ReportRevision.__table__
_INSERT_REVISION = insert(_REVISIONS).returning(_REVISIONS.c.id)
_INSERT_ARTICLES = insert(Article.__table__)
_LATEST_CONTACT = (  # built once: offered twice in every weekly report
    sa_select(_REVISIONS.c.contact, _REVISIONS.c.phone)
    .join_from(_REVISIONS, _REPORTS, _REPORTS.c.id == _REVISIONS.c.report_id)
    .where(_REPORTS.c.unit_id == bindparam("unit_id"))
    .order_by(_REVISIONS.c.submitted_at.desc())
    .limit(1)
)


def save_report(
    *,
    session: Session,
    unit_id: str,
    week: str,
    answers: dict[str, str],
    articles: list[ArticleData],
    by: str,
    at: datetime,
    on_time: bool,
    report_date: date,
) -> int:
    """Store a submission as the unit's newest revision for the week; its revision number.

    One upsert creates the report (the first submission decides its time and timeliness) or takes the
    next revision number, holding the row's lock until commit, so concurrent submissions never share one.
    """
    claim = {"unit_id": unit_id, "week": week, "current_revision": 1, "first_submitted_at": at, "on_time": on_time}
    report_id, number = session.execute(_next_revision(dialect_insert(session)), claim).one()
    revision = {"report_id": report_id, "number": number, "submitted_by": by, "submitted_at": at, "on_time": on_time, "report_date": report_date}
    revision |= {name: answers.get(name, "") for name in REPORT_FIELDS}
    revision_id = session.execute(_INSERT_REVISION, revision).scalar_one()
    if articles:
        session.execute(_INSERT_ARTICLES, [{"revision_id": revision_id, "position": i, **vars(a)} for i, a in enumerate(articles, start=1)])
    return number


@lru_cache(maxsize=None)
def _next_revision(insert_of_dialect):
    statement = insert_of_dialect(_REPORTS)
    key = [_REPORTS.c.unit_id, _REPORTS.c.week]
    bumped = statement.on_conflict_do_update(index_elements=key, set_={"current_revision": _REPORTS.c.current_revision + 1})
    return bumped.returning(_REPORTS.c.id, _REPORTS.c.current_revision)


def current_report(*, session: Session, unit_id: str, week: str) -> SavedReport | None:
    """The unit's current revision for the week, with its articles, or None."""
    report = session.exec(select(Report).where(Report.unit_id == unit_id, Report.week == week)).first()
    if report is None:
        return None
    revision = session.exec(
        select(ReportRevision).where(ReportRevision.report_id == report.id, ReportRevision.number == report.current_revision)
    ).one()
    return SavedReport(report, revision, articles_of(session=session, revision_id=revision.id))


def articles_of(*, session: Session, revision_id: int) -> list[Article]:
    statement = select(Article).where(Article.revision_id == revision_id).order_by(col(Article.position))
    return list(session.exec(statement).all())


def revisions_of(*, session: Session, report_id: int) -> list[ReportRevision]:
    statement = select(ReportRevision).where(ReportRevision.report_id == report_id).order_by(col(ReportRevision.number))
    return list(session.exec(statement).all())


def latest_contact(*, session: Session, unit_id: str) -> tuple[str, str] | None:
    """The contact person and phone of the unit's most recent submission, to offer for reuse."""
    row = session.execute(_LATEST_CONTACT, {"unit_id": unit_id}).first()
    return (row.contact, row.phone) if row else None
