"""Helpers for the scheduler and delivery tests: a job by name, a scheduler service on the fake clock, the stored runs and pushes."""

from __future__ import annotations

from sqlmodel import Session, select

from scheduler.catalog import JOBS, Job
from scheduler.service import SchedulerService
from storage.models import JobRun, OutboxMessage
from tests.support.fakes import FakeClock, FakeSleep


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


def runs(bot) -> dict[tuple[str, str], str]:
    """Each (job, period) run row and its outcome."""
    with Session(bot.engine) as session:
        return {(r.job, r.period): r.outcome for r in session.exec(select(JobRun)).all()}
