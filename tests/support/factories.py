"""Test data written straight through the storage functions, as the report and notice conversations would."""

from __future__ import annotations

from datetime import datetime

from storage.engine import session_scope
from storage.notices import create_notice
from storage.reports import ArticleData, save_report

ANSWERS = {"summary": "简介", "measures": "举措", "practices": "做法", "effects": "效果", "contact": "李华", "phone": "13800138000"}


def add_report(bot, unit_id: str, week: str, at: datetime, *, by: str = "jh1", articles=(), **answers) -> None:
    """Submit (or revise) a unit's report; on time when `at` is before the week's deadline."""
    with session_scope(bot.engine) as session:
        save_report(
            session=session, unit_id=unit_id, week=week, answers={**ANSWERS, **answers},
            articles=[ArticleData(*a) for a in articles], by=by, at=at,
            on_time=not bot.calendar.is_late(week, at), report_date=at.date(),
        )


def add_notice(bot, unit_id: str, *, at: datetime, event_at: datetime, theme: str = "集中执行", **values) -> None:
    lead_days = (event_at.date() - at.date()).days
    fields = dict(theme=theme, event_at=event_at, channels=["执行直播"], media="州电视台", liaison="李华 13800138000",
                  other="", lead_days=lead_days, meets_rule=lead_days >= 2)
    with session_scope(bot.engine) as session:
        create_notice(session=session, unit_id=unit_id, by="jh1", at=at, values={**fields, **values})
