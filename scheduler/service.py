"""The deployment's one scheduler: a database lease, a cron wake-up per job, catch-up at start, outbox delivery."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import Engine

from common.clock import Clock, system_clock
from common.config import Config
from common.deadlines import ReportingCalendar
from common.messenger import Messenger
from scheduler.catalog import Job, enabled_jobs
from scheduler.delivery import DeliveryResult, Sleep, deliver_pending
from scheduler.runs import RunResult, fire_if_due, run_now
from storage.dedupe import forget_messages
from storage.engine import session_scope
from storage.scheduling import hold_lease, release_lease

log = logging.getLogger(__name__)

LEASE_NAME = "scheduler"
LEASE_TTL = timedelta(seconds=90)
DEDUPE_RETENTION = timedelta(days=7)
HEARTBEAT = "*/30"  # seconds field of the heartbeat's cron: well inside LEASE_TTL


class SchedulerService:
    """What the triggers call. Jobs fire only while this process holds the lease; run rows decide each period."""

    def __init__(
        self, *, engine: Engine, messenger: Messenger, config: Config, calendar: ReportingCalendar,
        clock: Clock = system_clock, sleep: Sleep = time.sleep, holder: str | None = None,
        deliver_soon: Callable[[], None] | None = None,
    ):
        """`deliver_soon` starts a delivery without waiting for it (the web's coalesced flush in a thread), so a
        long fan-out never holds up the heartbeat that keeps the lease; without it each wake-up delivers itself.
        """
        self.engine, self.messenger, self.config, self.calendar = engine, messenger, config, calendar
        self.clock, self.sleep = clock, sleep
        self.deliver_soon = deliver_soon or self.deliver
        self.jobs: dict[str, Job] = {job.name: job for job in enabled_jobs(config.schedule)}
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.holding = False

    def tick(self, name: str) -> RunResult | None:
        """A job's cron wake-up: fire it if it is due and this process holds the lease, then deliver."""
        if not self.hold_lease():
            return None
        result = self._fire(self.jobs[name])
        self.deliver_soon()
        return result

    def heartbeat(self) -> list[RunResult]:
        """At start and every 30 s: keep the lease, catch up runs missed while down (within the grace), deliver."""
        if not self.hold_lease():
            return []
        results = [self._fire(job) for job in self.jobs.values()]
        self.deliver_soon()
        self.forget_old_messages()
        return results

    def forget_old_messages(self) -> int:
        """Keep the callback dedupe table small: ids older than a week can no longer be retried by WeCom."""
        with session_scope(self.engine) as session:
            return forget_messages(session=session, before=self.clock() - DEDUPE_RETENTION)

    def run_now(self, name: str, at: datetime | None = None) -> tuple[RunResult, DeliveryResult]:
        """`jobs run [--at]`: run one job for the period of `at` (default now) as if its moment had come, then deliver."""
        now = self.clock()
        result = run_now(self.jobs[name], engine=self.engine, at=at or now, now=now, config=self.config, calendar=self.calendar)
        return result, self.deliver()

    def deliver(self) -> DeliveryResult:
        return deliver_pending(
            engine=self.engine, messenger=self.messenger, clock=self.clock, sleep=self.sleep, admins=self.config.office.admins
        )

    def hold_lease(self) -> bool:
        """Take or renew the lease; logs when this process gains or loses it."""
        with session_scope(self.engine) as session:
            held = hold_lease(session=session, name=LEASE_NAME, holder=self.holder, now=self.clock(), ttl=LEASE_TTL)
        if held != self.holding:
            log.info("scheduler %s %s the lease", self.holder, "holds" if held else "lost")
        self.holding = held
        return held

    def release(self) -> None:
        with session_scope(self.engine) as session:
            release_lease(session=session, name=LEASE_NAME, holder=self.holder)
        self.holding = False

    def _fire(self, job: Job) -> RunResult:
        return fire_if_due(job, engine=self.engine, now=self.clock(), config=self.config, calendar=self.calendar)


def build_scheduler(config: Config, service: SchedulerService) -> BackgroundScheduler:
    """One cron trigger per enabled job plus the heartbeat, all in `[schedule] timezone`, in a memory job store."""
    tz = config.schedule.tz
    defaults = {"coalesce": True, "max_instances": 1, "misfire_grace_time": None}
    scheduler = BackgroundScheduler(timezone=tz, job_defaults=defaults)
    for job in service.jobs.values():
        scheduler.add_job(service.tick, job.cadence.trigger(config.schedule), args=[job.name], id=job.name, name=job.name)
    scheduler.add_job(service.heartbeat, CronTrigger(second=HEARTBEAT, timezone=tz), id="heartbeat", name="heartbeat")
    return scheduler


def start_scheduler(config: Config, service: SchedulerService) -> BackgroundScheduler:
    """Catch up at once, then start the triggers in their own threads."""
    service.heartbeat()
    scheduler = build_scheduler(config, service)
    log.info("scheduler started: %s", ", ".join(service.jobs))
    scheduler.start()
    return scheduler


@contextmanager
def background_scheduler(config: Config, service: SchedulerService) -> Iterator[BackgroundScheduler]:
    """The scheduler in threads beside the web server (`serve`); stopped, and its lease given up, on exit."""
    scheduler = start_scheduler(config, service)
    try:
        yield scheduler
    finally:
        scheduler.shutdown(wait=False)
        service.release()


def run_until(stop: threading.Event, config: Config, service: SchedulerService) -> None:
    """The scheduler alone (`python -m bot scheduler`) until `stop` is set; then the lease is given up.

    A signal handler only sets `stop`: raising SystemExit from it could land inside a garbage-collector
    callback, where Python ignores it and the process would run on until killed.
    """
    with background_scheduler(config, service):
        stop.wait()
    log.info("scheduler stopped")
