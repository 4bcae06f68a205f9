"""Weekly reports (附件1): one current report per unit and week, every revision kept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from storage.models import Article, Report, ReportRevision
from storage.upsert import insert_if_absent

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
) -> SavedReport:
    """Store a submission as the unit's newest revision for the week; the first one creates the report."""
    insert_if_absent(session, Report, unit_id=unit_id, week=week, current_revision=0, first_submitted_at=at, on_time=on_time)
    locked = select(Report).where(Report.unit_id == unit_id, Report.week == week).with_for_update()
    report = session.exec(locked.execution_options(populate_existing=True)).one()
    report.current_revision += 1
    revision = ReportRevision(
        report_id=report.id,
        number=report.current_revision,
        submitted_by=by,
        submitted_at=at,
        on_time=on_time,
        report_date=report_date,
        **{name: answers.get(name, "") for name in REPORT_FIELDS},
    )
    session.add_all([report, revision])
    session.flush()
    rows = [Article(revision_id=revision.id, position=i, **vars(a)) for i, a in enumerate(articles, start=1)]
    session.add_all(rows)
    session.flush()
    return SavedReport(report, revision, rows)


def current_report(*, session: Session, unit_id: str, week: str) -> SavedReport | None:
    """The unit's current revision for the week, with its articles, or None."""
    report = session.exec(select(Report).where(Report.unit_id == unit_id, Report.week == week)).first()
    if report is None or report.current_revision == 0:
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
    statement = (
        select(ReportRevision.contact, ReportRevision.phone)
        .join(Report, Report.id == ReportRevision.report_id)
        .where(Report.unit_id == unit_id)
        .order_by(col(ReportRevision.submitted_at).desc())
        .limit(1)
    )
    row = session.exec(statement).first()
    return (row[0], row[1]) if row else None
