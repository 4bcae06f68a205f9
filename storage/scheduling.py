"""Who fires: one run row per job and period, and one lease for the deployment's scheduler."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, or_, update
from sqlmodel import Session

from storage.models import JobRun, SchedulerLease
from storage.upsert import insert_if_absent


def claim_run(*, session: Session, job: str, period: str, at: datetime, outcome: str) -> bool:
    """Record the job's run for the period; True only for the one caller whose insert won."""
    return insert_if_absent(session, JobRun, job=job, period=period, fired_at=at, outcome=outcome)


def hold_lease(*, session: Session, name: str, holder: str, now: datetime, ttl: timedelta) -> bool:
    """Take or renew the lease; True while `holder` has it (it is free, its own, or expired)."""
    if insert_if_absent(session, SchedulerLease, name=name, holder=holder, expires_at=now + ttl):
        return True
    renewed = session.execute(
        update(SchedulerLease)
        .where(SchedulerLease.name == name, or_(SchedulerLease.holder == holder, SchedulerLease.expires_at < now))
        .values(holder=holder, expires_at=now + ttl)
    )
    return renewed.rowcount == 1


def release_lease(*, session: Session, name: str, holder: str) -> None:
    """Give the lease up at shutdown so another scheduler may take over at once."""
    session.execute(delete(SchedulerLease).where(SchedulerLease.name == name, SchedulerLease.holder == holder))
