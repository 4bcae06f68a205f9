"""Running a job for one period: the database decides who fires, and the pushes go to the outbox."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Engine

from common.config import Config, duration_text
from common.deadlines import ReportingCalendar
from scheduler.catalog import Job, latest_due
from scheduler.jobs import Outbox
from storage.engine import session_scope
from storage.scheduling import claim_run

log = logging.getLogger(__name__)


class Outcome(StrEnum):
    """What one attempt at a job did; the first three are also stored in its run row."""

    FIRED = "fired"  # on schedule, or caught up within the grace
    MANUAL = "manual"  # `jobs run`
    MISSED = "missed"  # beyond the grace: logged, not sent
    TAKEN = "taken"  # another process decided this period before
    IDLE = "idle"  # nothing due
    EXEMPT = "exempt"  # an exempt week


@dataclass(frozen=True)
class RunResult:
    job: str
    period: str | None
    outcome: Outcome
    queued: int = 0


def fire_if_due(job: Job, *, engine: Engine, now: datetime, config: Config, calendar: ReportingCalendar) -> RunResult:
    """Run the job's latest due period once; a period missed by more than `misfire_grace` is logged, not sent."""
    due = latest_due(job, now, calendar)
    if due is None:
        return RunResult(job.name, None, Outcome.IDLE)
    period, moment = due
    if now - moment <= config.schedule.misfire_grace:
        return _run(job, engine, period, now, config, calendar, outcome=Outcome.FIRED)
    with session_scope(engine) as session:
        if not claim_run(session=session, job=job.name, period=period, at=now, outcome=Outcome.MISSED):
            return RunResult(job.name, period, Outcome.TAKEN)
    log.warning("%s for %s was due at %s, more than misfire_grace %s ago: not sent", job.name, period, moment, duration_text(config.schedule.misfire_grace))
    return RunResult(job.name, period, Outcome.MISSED)


def run_now(job: Job, *, engine: Engine, at: datetime, now: datetime, config: Config, calendar: ReportingCalendar) -> RunResult:
    """Run the job for the period of `at` whether or not it ran before; the outbox keys keep it from repeating pushes.

    `at` only picks the period: the run row and the pushes are stamped with the real `now`, which
    senders compare with their own clocks to judge claims and retries.
    """
    period = job.cadence.period(at, calendar.tz)
    if job.cadence.moment(period, calendar) is None:
        return RunResult(job.name, period, Outcome.EXEMPT)
    return _run(job, engine, period, now, config, calendar, outcome=Outcome.MANUAL)


def _run(job: Job, engine: Engine, period: str, now: datetime, config: Config, calendar: ReportingCalendar, *, outcome: Outcome) -> RunResult:
    """Claim the run row and queue the pushes in one transaction: both are stored, or neither."""
    with session_scope(engine) as session:
        won = claim_run(session=session, job=job.name, period=period, at=now, outcome=outcome)
        if outcome is Outcome.FIRED and not won:
            return RunResult(job.name, period, Outcome.TAKEN)
        outbox = Outbox(session, job.name, period, now)
        job.body(session=session, outbox=outbox, period=period, config=config, calendar=calendar)
    log.info("%s for %s (%s): %d new pushes queued", job.name, period, outcome, outbox.queued)
    return RunResult(job.name, period, outcome, outbox.queued)
