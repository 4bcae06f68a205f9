"""Weekly reports (附件1): one current report per unit and week, every revision kept; and the reads over them.

The hot paths (a confirm, a stored report read up to four times a report, the contact offered twice)
are prebuilt Core statements, the reads on the driver (storage.driver), each with the figure that earned
it; the office's reads are SQLModel selects, a fixed number of statements whatever the number of units
(joins and IN, never one per unit).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from sqlalchemy import Integer, and_, bindparam, func, insert
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from storage.driver import DriverStatement
from storage.materials import link_materials
from storage.models import Article, Report, ReportReturn, ReportRevision, Unit
from storage.upsert import DIALECT_INSERT, dialect_of

REPORT_FIELDS = ("summary", "measures", "practices", "effects", "other", "contact", "phone")


@dataclass(frozen=True)
class ArticleData:
    title: str
    url: str
    channel: str
    place: str = ""


@dataclass(frozen=True)
class SavedReport:
    report: Report
    revision: ReportRevision
    articles: list[Article]


@dataclass(frozen=True)
class ReportHeader:
    """A unit's standing in one week as plain values (no ORM objects, so 状态 stays fast at thousands of units)."""

    unit_id: str
    unit_name: str
    submitted_at: datetime | None = None  # the first submission
    on_time: bool | None = None  # of the first submission
    revisions: int = 0  # 0: not reported
    latest_on_time: bool | None = None  # of the current revision
    returned_at: datetime | None = None  # when the current revision was sent back (退回), if it was


_REPORTS, _REVISIONS = Report.__table__, ReportRevision.__table__
_INSERT_REVISION = insert(_REVISIONS).returning(_REVISIONS.c.id)  # with the upsert below: a confirm 2.2 -> 1.1 ms
_INSERT_ARTICLES = insert(Article.__table__)
_LATEST_CONTACT = DriverStatement(  # on the driver: offered twice in every weekly report
    lambda _dialect: sa_select(_REVISIONS.c.contact, _REVISIONS.c.phone)
    .join_from(_REVISIONS, _REPORTS, _REPORTS.c.id == _REVISIONS.c.report_id)
    .where(_REPORTS.c.unit_id == bindparam("unit_id"))
    .order_by(_REVISIONS.c.submitted_at.desc())
    .limit(1)
)
_CURRENT = and_(ReportRevision.report_id == Report.id, ReportRevision.number == Report.current_revision)
_RETURNED = and_(ReportReturn.report_id == Report.id, ReportReturn.revision == Report.current_revision)
_HEADER_COLUMNS = (
    Unit.id, Unit.name, Report.first_submitted_at, Report.on_time, Report.current_revision, ReportRevision.on_time, ReportReturn.returned_at
)
_ACTIVE = col(Unit.active).is_(True)
_UNITS, _RETURNS = Unit.__table__, ReportReturn.__table__
_HEADERS = (  # _HEADER_COLUMNS by week, for reports that exist, on table columns
    sa_select(_REPORTS.c.week, _UNITS.c.id, _UNITS.c.name, _REPORTS.c.first_submitted_at, _REPORTS.c.on_time, _REPORTS.c.current_revision,
              _REVISIONS.c.on_time, _RETURNS.c.returned_at)
    .join_from(_UNITS, _REPORTS, _REPORTS.c.unit_id == _UNITS.c.id)
    .join(_REVISIONS, and_(_REVISIONS.c.report_id == _REPORTS.c.id, _REVISIONS.c.number == _REPORTS.c.current_revision))
    .outerjoin(_RETURNS, and_(_RETURNS.c.report_id == _REPORTS.c.id, _RETURNS.c.revision == _REPORTS.c.current_revision))
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
    materials: Sequence[int] = (),
    via: str = "wecom",
) -> int:
    """Store a submission as the unit's newest revision for the week; its revision number.

    One upsert creates the report (the first submission decides its time and timeliness) or takes the
    next revision number, holding the row's lock until commit, so concurrent submissions never share one.
    The revision keeps the 素材 of the one before it and adds `materials`; `via` is the way it was sent (common.via).
    """
    claim = {"unit_id": unit_id, "week": week, "current_revision": 1, "first_submitted_at": at, "on_time": on_time}
    report_id, number = session.execute(_next_revision(dialect_of(session)), claim).one()
    revision = {"report_id": report_id, "number": number, "submitted_by": by, "submitted_at": at, "on_time": on_time, "report_date": report_date, "via": via}
    revision |= {name: answers.get(name, "") for name in REPORT_FIELDS}
    revision_id = session.execute(_INSERT_REVISION, revision).scalar_one()
    if articles:
        session.execute(_INSERT_ARTICLES, [{"revision_id": revision_id, "position": i, **vars(a)} for i, a in enumerate(articles, start=1)])
    link_materials(session=session, report_id=report_id, number=number, revision_id=revision_id, added=materials)
    return number


@cache
def _next_revision(dialect: str):
    """Creates the report or bumps its revision number, built once per dialect."""
    key = [_REPORTS.c.unit_id, _REPORTS.c.week]
    statement = DIALECT_INSERT[dialect](_REPORTS)
    bumped = statement.on_conflict_do_update(index_elements=key, set_={"current_revision": _REPORTS.c.current_revision + 1})
    return bumped.returning(_REPORTS.c.id, _REPORTS.c.current_revision)


def current_report(*, session: Session, unit_id: str, week: str, number: int | None = None) -> SavedReport | None:
    """The unit's current revision for the week (or revision `number`), with its articles, or None.

    One statement on the driver, a row per article: a weekly report reads it up to four times (to open, to
    show the previous week's, to check for a newer revision at confirm, 我的周报), and ORM loading cost it twice as much.
    """
    rows = _REPORT_WITH_ARTICLES.rows(session, {"unit_id": unit_id, "week": week, "number": number})
    if not rows:
        return None
    report, revision = _made(Report, rows[0][:_REVISION_AT]), _made(ReportRevision, rows[0][_REVISION_AT:_ARTICLE_AT])
    articles = [_made(Article, row[_ARTICLE_AT:]) for row in rows if row[_ARTICLE_AT] is not None]
    return SavedReport(report, revision, articles)


def _made(model, values: Sequence):
    """A model instance from a row's slice of its table's columns, in table order.

    Built as the ORM builds a row it loads, its values put in place as they came from the database:
    SQLModel's `__init__` took 35 µs a revision, this 2 µs.
    """
    instance = sa_inspect(model).class_manager.new_instance()
    instance.__dict__.update(zip(model.__table__.c.keys(), values, strict=True))
    return instance


def _report_with_articles(_dialect: str):
    """The report, its current revision (or the one numbered, when `number` is not null) and its articles, one row each."""
    number = func.coalesce(bindparam("number", type_=Integer), _REPORTS.c.current_revision)
    return (
        sa_select(*_REPORTS.c, *_REVISIONS.c, *_ARTICLES.c)
        .join_from(_REPORTS, _REVISIONS, and_(_REVISIONS.c.report_id == _REPORTS.c.id, _REVISIONS.c.number == number))
        .outerjoin(_ARTICLES, _ARTICLES.c.revision_id == _REVISIONS.c.id)
        .where(_REPORTS.c.unit_id == bindparam("unit_id"), _REPORTS.c.week == bindparam("week"))
        .order_by(_ARTICLES.c.position)
    )


_ARTICLES = Article.__table__
_REPORT_WITH_ARTICLES = DriverStatement(_report_with_articles)
_REVISION_AT, _ARTICLE_AT = len(_REPORTS.c), len(_REPORTS.c) + len(_REVISIONS.c)  # where each table's columns start in a row


def latest_contact(*, session: Session, unit_id: str) -> tuple[str, str] | None:
    """The contact person and phone of the unit's most recent submission, to offer for reuse."""
    rows = _LATEST_CONTACT.rows(session, {"unit_id": unit_id})
    return rows[0] if rows else None


def latest_contacts(*, session: Session, unit_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Each given unit's contact person and phone from its most recent submission, in one statement (units never reported are absent)."""
    newest_first = func.row_number().over(partition_by=_REPORTS.c.unit_id, order_by=_REVISIONS.c.submitted_at.desc())
    ranked = (
        sa_select(_REPORTS.c.unit_id, _REVISIONS.c.contact, _REVISIONS.c.phone, newest_first.label("rank"))
        .join_from(_REVISIONS, _REPORTS, _REPORTS.c.id == _REVISIONS.c.report_id)
        .where(_REPORTS.c.unit_id.in_(list(unit_ids)))
        .subquery()
    )
    rows = session.execute(sa_select(ranked.c.unit_id, ranked.c.contact, ranked.c.phone).where(ranked.c.rank == 1))
    return {unit_id: (contact, phone) for unit_id, contact, phone in rows}


def units_with_reports(*, session: Session, week: str) -> list[ReportHeader]:
    """Every active unit with its report header for the week (revisions 0 when it has not reported), by unit id."""
    joined = and_(Report.unit_id == Unit.id, Report.week == week)
    statement = (
        select(*_HEADER_COLUMNS)
        .outerjoin(Report, joined)
        .outerjoin(ReportRevision, _CURRENT)
        .outerjoin(ReportReturn, _RETURNED)
        .where(_ACTIVE)
        .order_by(Unit.id)
    )
    return [ReportHeader(*row[:4], revisions=row[4] or 0, latest_on_time=row[5], returned_at=row[6]) for row in session.exec(statement).all()]


def current_submitters(*, session: Session, week: str) -> dict[str, str]:
    """Unit id -> the userid who sent the unit's current revision of the week (one statement, no report texts loaded)."""
    statement = select(Report.unit_id, ReportRevision.submitted_by).join(ReportRevision, _CURRENT).where(Report.week == week)
    return dict(session.exec(statement).all())


def units_missing_report(*, session: Session, week: str) -> list[Unit]:
    """Active units with no report for the week, by id: one statement, and only those rows loaded."""
    reported = select(Report.unit_id).where(Report.week == week)
    statement = select(Unit).where(_ACTIVE, col(Unit.id).not_in(reported)).order_by(Unit.id)
    return list(session.exec(statement).all())


def units_reported_late(*, session: Session, week: str) -> list[Unit]:
    """Active units whose first submission for the week came after the deadline, by id."""
    late = and_(Report.unit_id == Unit.id, Report.week == week, col(Report.on_time).is_(False))
    statement = select(Unit).join(Report, late).where(_ACTIVE).order_by(Unit.id)
    return list(session.exec(statement).all())


def reports_of_unit(*, session: Session, unit_id: str, weeks: Iterable[str]) -> dict[str, ReportHeader]:
    """The unit's report headers for the given weeks, keyed by week (weeks without a report are absent)."""
    return dict(_headers(session, _UNITS.c.id == unit_id, _REPORTS.c.week.in_(list(weeks))))


def report_headers(*, session: Session, first_week: str, last_week: str) -> dict[tuple[str, str], ReportHeader]:
    """Every active unit's report headers for weeks first_week..last_week, keyed (unit id, week), in one statement.

    The office's grid of units by weeks: 3,500 units and 12 weeks are one query, not one per unit or cell.
    """
    between = (_REPORTS.c.week >= first_week, _REPORTS.c.week <= last_week)  # "YYYY-Www" sorts as text
    return {(header.unit_id, week): header for week, header in _headers(session, _UNITS.c.active.is_(True), *between)}


def _headers(session: Session, *conditions) -> list[tuple[str, ReportHeader]]:
    """(week, header) of each report matching `conditions` (on table columns), with its current revision and open return.

    Core, not the ORM: the grid reads 42,000 rows for 3,500 units, and ORM row processing tripled its time.
    """
    rows = session.execute(_HEADERS.where(*conditions)).all()
    return [(row[0], ReportHeader(*row[1:5], revisions=row[5], latest_on_time=row[6], returned_at=row[7])) for row in rows]


def report_revisions(*, session: Session, unit_id: str, week: str) -> list[SavedReport]:
    """Every revision of the unit's report for the week with its articles, first to current (two statements); [] when none."""
    statement = (
        select(Report, ReportRevision)
        .join(ReportRevision, ReportRevision.report_id == Report.id)
        .where(Report.unit_id == unit_id, Report.week == week)
        .order_by(col(ReportRevision.number))
    )
    pairs = session.exec(statement).all()
    articles = _articles_by_revision(session, [revision.id for _, revision in pairs])
    return [SavedReport(report, revision, articles[revision.id]) for report, revision in pairs]


def current_reports(*, session: Session, week: str) -> list[SavedReport]:
    """Every active unit's current revision of the week with its articles, in unit id order (two statements)."""
    statement = (
        select(Report, ReportRevision)
        .join(ReportRevision, _CURRENT)
        .join(Unit, Unit.id == Report.unit_id)
        .where(Report.week == week, _ACTIVE)
        .order_by(Report.unit_id)
    )
    pairs = session.exec(statement).all()
    articles = _articles_by_revision(session, [revision.id for _, revision in pairs])
    return [SavedReport(report, revision, articles[revision.id]) for report, revision in pairs]


def article_counts(*, session: Session, first_week: str, last_week: str, unit_id: str | None = None) -> list[tuple[str, str, int]]:
    """(week, channel, count) of the articles in current revisions of weeks first_week..last_week, of one unit if given."""
    statement = _articles_between(first_week, last_week, Report.week)
    if unit_id is not None:
        statement = statement.where(Report.unit_id == unit_id)
    return [(week, channel, count) for week, channel, count in session.exec(statement).all()]


def unit_article_counts(*, session: Session, first_week: str, last_week: str) -> list[tuple[str, str, int]]:
    """(unit id, channel, count) of the articles in current revisions of weeks first_week..last_week: who contributed."""
    statement = _articles_between(first_week, last_week, Report.unit_id)
    return [(unit_id, channel, count) for unit_id, channel, count in session.exec(statement).all()]


def unit_weekly_article_counts(*, session: Session, first_week: str, last_week: str, unit_ids: Iterable[str]) -> list[tuple[str, str, str, int]]:
    """(unit id, week, channel, count) of the given units' articles in current revisions of weeks first_week..last_week, in one query."""
    statement = _articles_between(first_week, last_week, Report.unit_id, Report.week).where(col(Report.unit_id).in_(list(unit_ids)))
    return [(unit_id, week, channel, count) for unit_id, week, channel, count in session.exec(statement).all()]


def _articles_between(first_week: str, last_week: str, *keys):
    """Articles of current revisions in the weeks, counted by `keys` (Report columns) and channel."""
    return (
        select(*keys, Article.channel, func.count(Article.id))
        .join(ReportRevision, _CURRENT)
        .join(Article, Article.revision_id == ReportRevision.id)
        .where(Report.week >= first_week, Report.week <= last_week)  # "YYYY-Www" sorts as text
        .group_by(*keys, Article.channel)
    )


def _articles_by_revision(session: Session, revision_ids: list[int]) -> dict[int, list[Article]]:
    statement = select(Article).where(col(Article.revision_id).in_(revision_ids)).order_by(Article.revision_id, Article.position)
    articles: dict[int, list[Article]] = defaultdict(list)
    for article in session.exec(statement).all():
        articles[article.revision_id].append(article)
    return articles
