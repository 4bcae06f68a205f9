"""Test data written straight through the storage functions, as the report and notice conversations would."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from storage.engine import session_scope
from storage.notices import create_notice
from storage.reports import ArticleData, save_report

ANSWERS = {"summary": "简介", "measures": "举措", "practices": "做法", "effects": "效果", "contact": "李华", "phone": "13800138000"}


def late_list(lines: int) -> str:
    """A text of many lines, longer than one WeCom message."""
    return "\n".join(f"第{i}行：景洪市人民法院未报送" for i in range(lines))


def write_report(session: Session, unit_id: str, week: str, at: datetime, *, on_time: bool, by: str = "jh1", articles=(), **answers):
    """Save a unit's report (or its next revision) in `session`: ANSWERS with `answers` changed, `articles` as tuples."""
    return save_report(
        session=session, unit_id=unit_id, week=week, answers={**ANSWERS, **answers},
        articles=[ArticleData(*a) for a in articles], by=by, at=at, on_time=on_time, report_date=at.date(),
    )


def add_report(bot, unit_id: str, week: str, at: datetime, *, on_time: bool | None = None, **kwargs):
    """Submit (or revise) a unit's report; on time when `at` is before the week's deadline, unless `on_time` says."""
    with session_scope(bot.engine) as session:
        on_time = not bot.calendar.is_late(week, at) if on_time is None else on_time
        return write_report(session, unit_id, week, at, on_time=on_time, **kwargs)


def add_notice(bot, unit_id: str, *, at: datetime, event_at: datetime, theme: str = "集中执行", **values) -> None:
    lead_days = (event_at.date() - at.date()).days
    fields = dict(theme=theme, event_at=event_at, channels=["执行直播"], media="州电视台", liaison="李华 13800138000",
                  other="", lead_days=lead_days, meets_rule=lead_days >= 2)
    with session_scope(bot.engine) as session:
        create_notice(session=session, unit_id=unit_id, by="jh1", at=at, values={**fields, **values})
