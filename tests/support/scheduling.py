"""Helpers for the scheduler and delivery tests: services, stored reports."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from scheduler.catalog import JOBS, Job
from scheduler.service import SchedulerService
from storage.engine import session_scope
from storage.models import JobRun, OutboxMessage
from storage.reports import save_report
from tests.support.fakes import FakeClock, FakeSleep

ANSWERS = {"summary": "简介", "measures": "举措", "practices": "做法", "effects": "效果", "contact": "李华", "phone": "13800138000"}


def outbox(bot) -> list[OutboxMessage]:
    with Session(bot.engine) as session:
        return list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all())


def job(name: str) -> Job:
    return next(j for j in JOBS if j.name == name)


def service_for(bot, clock: FakeClock, holder: str = "a") -> SchedulerService:
    return SchedulerService(
        engine=bot.engine, messenger=bot.messenger, config=bot.config, calendar=bot.calendar,
        clock=clock, sleep=FakeSleep(clock), holder=holder,
    )


def report(bot, unit_id: str, week: str, at: datetime, on_time: bool = True) -> None:
    with session_scope(bot.engine) as session:
        save_report(
            session=session, unit_id=unit_id, week=week, answers=ANSWERS, articles=[], by="someone",
            at=at, on_time=on_time, report_date=at.date(),
        )


def runs(bot) -> dict[tuple[str, str], str]:
    """Each (job, period) run row and its outcome."""
    with Session(bot.engine) as session:
        return {(r.job, r.period): r.outcome for r in session.exec(select(JobRun)).all()}
