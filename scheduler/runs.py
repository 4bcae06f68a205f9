"""Running a job for one period: the database decides who fires, and the pushes go to the outbox."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine

from common.config import Config
from common.deadlines import ReportingCalendar
from scheduler.catalog import Job, latest_due
from scheduler.jobs import Outbox
from storage.engine import session_scope
from storage.scheduling import claim_run

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunResult:
    """What one attempt did: fired, manual, missed (beyond the grace), taken (decided before), idle or exempt."""

    job: str
    period: str | None
    outcome: str
    queued: int = 0


def fire_if_due(job: Job, *, engine: Engine, now: datetime, config: Config, calendar: ReportingCalendar) -> RunResult:
    """Run the job's latest due period once; a period missed by more than `misfire_grace` is logged, not sent."""
    due = latest_due(job, now, calendar)
    if due is None:
        return RunResult(job.name, None, "idle")
    period, moment = due
    if now - moment <= config.schedule.grace:
        return _run(job, engine, period, now, config, calendar, outcome="fired")
    with session_scope(engine) as session:
        if not claim_run(session=session, job=job.name, period=period, at=now, outcome="missed"):
            return RunResult(job.name, period, "taken")
    log.warning("%s for %s was due at %s, more than misfire_grace %s ago: not sent", job.name, period, moment, config.schedule.misfire_grace)
    return RunResult(job.name, period, "missed")


def run_now(job: Job, *, engine: Engine, now: datetime, config: Config, calendar: ReportingCalendar) -> RunResult:
    """Run the job for the period of `now` whether or not it ran before; the outbox keys keep it from repeating pushes."""
    period = job.cadence.period(now, calendar.tz)
    if job.cadence.moment(period, calendar) is None:
        return RunResult(job.name, period, "exempt")
    return _run(job, engine, period, now, config, calendar, outcome="manual")


def _run(job: Job, engine: Engine, period: str, now: datetime, config: Config, calendar: ReportingCalendar, *, outcome: str) -> RunResult:
    """Claim the run row and queue the pushes in one transaction: both are stored, or neither."""
    with session_scope(engine) as session:
        won = claim_run(session=session, job=job.name, period=period, at=now, outcome=outcome)
        if outcome == "fired" and not won:
            return RunResult(job.name, period, "taken")
        outbox = Outbox(session, job.name, period, now)
        job.body(session=session, outbox=outbox, period=period, config=config, calendar=calendar)
    log.info("%s for %s (%s): %d new pushes queued", job.name, period, outcome, outbox.queued)
    return RunResult(job.name, period, outcome, outbox.queued)
