"""Reports sent back to their unit (退回): one per revision, open until the unit confirms a newer one."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_
from sqlmodel import Session, col, select

from storage.models import Report, ReportReturn
from storage.upsert import insert_absent


def record_return(*, session: Session, report_id: int, revision: int, by: str, at: datetime, reason: str) -> int | None:
    """Send the report's revision back; the return's id, or None when that revision was already sent back."""
    row = dict(report_id=report_id, revision=revision, returned_by=by, returned_at=at, reason=reason)
    ids = insert_absent(session, ReportReturn, [row])
    return ids[0] if ids else None


def open_return(*, session: Session, unit_id: str, week: str) -> ReportReturn | None:
    """The return of the unit's current revision for the week, if it was sent back and not yet resubmitted."""
    current = and_(ReportReturn.report_id == Report.id, ReportReturn.revision == Report.current_revision)
    statement = select(ReportReturn).join(Report, current).where(Report.unit_id == unit_id, Report.week == week)
    return session.exec(statement).first()


def returns_of(*, session: Session, report_id: int) -> list[ReportReturn]:
    """Every return of the report, oldest first: its history beside the revisions."""
    return list(session.exec(select(ReportReturn).where(ReportReturn.report_id == report_id).order_by(col(ReportReturn.returned_at))).all())
