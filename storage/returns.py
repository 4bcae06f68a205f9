"""Reports sent back to their unit (退回): one per revision, open until the unit confirms a newer one."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import and_, bindparam
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from storage.driver import DriverStatement
from storage.models import Report, ReportReturn
from storage.upsert import insert_absent


def record_return(*, session: Session, report_id: int, revision: int, by: str, at: datetime, reason: str) -> int | None:
    """Send the report's revision back; the return's id, or None when that revision was already sent back."""
    row = dict(report_id=report_id, revision=revision, returned_by=by, returned_at=at, reason=reason)
    ids = insert_absent(session, ReportReturn, [row])
    return ids[0] if ids else None


class OpenReturn(NamedTuple):
    returned_by: str
    returned_at: datetime
    reason: str


def open_return(*, session: Session, unit_id: str, week: str) -> OpenReturn | None:
    """The return of the unit's current revision for the week, if it was sent back and not yet resubmitted.

    On the driver: a weekly report asks up to three times (to open it, last week's, 我的周报).
    """
    rows = _OPEN_RETURN.rows(session, {"unit_id": unit_id, "week": week})
    return OpenReturn(*rows[0]) if rows else None


def _open_return(_dialect: str):
    returns, reports = ReportReturn.__table__.c, Report.__table__.c
    current = and_(returns.report_id == reports.id, returns.revision == reports.current_revision)
    return (
        sa_select(returns.returned_by, returns.returned_at, returns.reason)
        .join_from(ReportReturn.__table__, Report.__table__, current)
        .where(reports.unit_id == bindparam("unit_id"), reports.week == bindparam("week"))
    )


_OPEN_RETURN = DriverStatement(_open_return)


def returns_of(*, session: Session, report_id: int) -> list[ReportReturn]:
    """Every return of the report, oldest first: its history beside the revisions."""
    return list(session.exec(select(ReportReturn).where(ReportReturn.report_id == report_id).order_by(col(ReportReturn.returned_at))).all())
