"""Event advance notices (附件2): the current content in Notice, every change snapshotted in NoticeRevision."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_
from sqlmodel import Session, col, select

from storage.models import Notice, NoticeRevision

NOTICE_FIELDS = ("theme", "event_at", "event_end", "event_part", "channels", "media", "liaison", "other", "lead_days", "meets_rule")
_STANDING = col(Notice.withdrawn).is_(False)
MODIFIED = "modified"  # a revision's action when the notice was changed after it was sent


def create_notice(*, session: Session, unit_id: str, by: str, at: datetime, values: dict[str, Any]) -> Notice:
    """Store a confirmed notice; `values` holds NOTICE_FIELDS."""
    notice = Notice(unit_id=unit_id, created_by=by, submitted_at=at, updated_at=at, **_only_fields(values))
    session.add(notice)
    session.flush()
    _snapshot(session, notice, "created", by, at)
    return notice


def update_notice(*, session: Session, notice: Notice, by: str, at: datetime, values: dict[str, Any]) -> Notice:
    for name, value in _only_fields(values).items():
        setattr(notice, name, value)
    notice.updated_at = at
    session.add(notice)
    session.flush()
    _snapshot(session, notice, MODIFIED, by, at)
    return notice


def withdraw_notice(*, session: Session, notice: Notice, by: str, at: datetime, reason: str = "") -> Notice:
    """Withdraw a notice; the member's reason, if any, is kept in the revision's snapshot."""
    notice.withdrawn, notice.updated_at = True, at
    session.add(notice)
    session.flush()
    _snapshot(session, notice, "withdrawn", by, at, {"reason": reason} if reason else {})
    return notice


def upcoming_notices(
    *, session: Session, start: datetime, end: datetime | None = None, unit_id: str | None = None, withdrawn: bool = False
) -> list[Notice]:
    """Notices whose event is not over by `start` and begins before `end` (no end: every later one), soonest first.

    Withdrawn ones only when asked for (the console marks them); not a unit's own list, nor the pushes.
    """
    statement = select(Notice).where(func.coalesce(Notice.event_end, Notice.event_at) >= start)
    if not withdrawn:
        statement = statement.where(_STANDING)
    if end is not None:
        statement = statement.where(Notice.event_at < end)
    if unit_id is not None:
        statement = statement.where(Notice.unit_id == unit_id)
    return list(session.exec(statement.order_by(col(Notice.event_at), col(Notice.id))).all())


def notices_of_week(*, session: Session, start: datetime, end: datetime) -> list[Notice]:
    """Notices not withdrawn whose event falls in [start, end) or that were submitted then, by event time."""
    held = and_(Notice.event_at >= start, Notice.event_at < end)
    sent = and_(Notice.submitted_at >= start, Notice.submitted_at < end)
    statement = select(Notice).where(_STANDING, or_(held, sent))
    return list(session.exec(statement.order_by(col(Notice.event_at), col(Notice.id))).all())


def modified_notices(*, session: Session, notice_ids: list[int]) -> set[int]:
    """Which of the notices were modified after they were sent (one query)."""
    statement = select(NoticeRevision.notice_id).where(col(NoticeRevision.notice_id).in_(notice_ids), NoticeRevision.action == MODIFIED)
    return set(session.exec(statement.distinct()).all()) if notice_ids else set()


def notice_history(*, session: Session, notice_id: int) -> list[NoticeRevision]:
    statement = select(NoticeRevision).where(NoticeRevision.notice_id == notice_id).order_by(col(NoticeRevision.id))
    return list(session.exec(statement).all())


def _only_fields(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k in NOTICE_FIELDS}


def _snapshot(session: Session, notice: Notice, action: str, by: str, at: datetime, extra: dict[str, Any] | None = None) -> None:
    snapshot = {name: getattr(notice, name) for name in NOTICE_FIELDS} | (extra or {})
    snapshot["event_at"] = notice.event_at.isoformat()
    snapshot["event_end"] = notice.event_end and notice.event_end.isoformat()
    session.add(NoticeRevision(notice_id=notice.id, action=action, by=by, at=at, snapshot=snapshot))
    session.flush()
