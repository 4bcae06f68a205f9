"""Scheduler wiring and who fires: cron triggers, catch-up within the misfire grace, the lease, two schedulers."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta

from bot.runtime import build_bot, run_inline
from scheduler.runs import fire_if_due
from scheduler.service import background_scheduler, build_scheduler
from storage.engine import session_scope
from tests.support.config import SHANGHAI, make_config, shanghai
from tests.support.fakes import FakeMessenger
from tests.support.scheduling import job, runs, service_for
from tests.support.threads import run_together

THURSDAY = shanghai(2026, 11, 26, 15, 0)


def next_fires(scheduler, start):
    return {job.id: job.trigger.get_next_fire_time(None, start) for job in scheduler.get_jobs()}


def test_each_job_gets_a_cron_trigger_in_shanghai_time_even_on_a_utc_host(bot, clock):
    scheduler = build_scheduler(bot.config, service_for(bot, clock))
    start = datetime(2026, 11, 25, 8, 0, 10, tzinfo=UTC)  # Wed 16:00:10 in Shanghai
    assert next_fires(scheduler, start) == {
        "thursday_reminder": shanghai(2026, 11, 26, 15, 0),
        "friday_overdue": shanghai(2026, 11, 26, 12, 5),  # wakes daily up to Friday; the plan says when it is due
        "notice_digest": shanghai(2026, 11, 26, 9, 0),
        "heartbeat": start + timedelta(seconds=20),
    }
    assert all(job.trigger.timezone == SHANGHAI for job in scheduler.get_jobs())


def test_the_nudge_is_wired_only_when_configured(db_url, clock):
    bot = build_bot(make_config(db_url, schedule={"nudge": "fri 09:00"}), messenger=FakeMessenger(), clock=clock)
    scheduler = build_scheduler(bot.config, service_for(bot, clock))
    assert next_fires(scheduler, shanghai(2026, 11, 27, 0, 0))["friday_nudge"] == shanghai(2026, 11, 27, 9, 0)


def test_a_job_missed_while_down_runs_once_at_start_within_the_grace(bot, clock, messenger):
    clock.set(THURSDAY + timedelta(hours=5))
    service = service_for(bot, clock)
    service.heartbeat()
    service.heartbeat()
    assert sorted(s.target for s in messenger.sent) == ["jinghong", "mengla"]  # groups are sent to at once
    assert runs(bot)[("thursday_reminder", "2026-W48")] == "fired"


def test_a_job_missed_beyond_the_grace_is_logged_not_sent(bot, clock, messenger, caplog):
    clock.set(THURSDAY + timedelta(hours=9, minutes=30))  # Friday 00:30, grace 8h
    with caplog.at_level(logging.WARNING):
        service_for(bot, clock).heartbeat()
        service_for(bot, clock).heartbeat()  # a restart: the run row says it was decided
    assert messenger.sent == []
    assert runs(bot)[("thursday_reminder", "2026-W48")] == "missed"
    warnings = [r.getMessage() for r in caplog.records if "thursday_reminder for 2026-W48" in r.getMessage()]
    assert len(warnings) == 1 and "misfire_grace 8h" in warnings[0]


def test_the_grace_comes_from_the_config(db_url, clock):
    bot = build_bot(make_config(db_url, schedule={"misfire_grace": "30m"}), messenger=FakeMessenger(), clock=clock)
    clock.set(THURSDAY + timedelta(minutes=45))
    service_for(bot, clock).heartbeat()
    assert runs(bot)[("thursday_reminder", "2026-W48")] == "missed" and bot.messenger.sent == []


def two_bots(db_url, clock):
    config = make_config(db_url)
    return [build_bot(config, messenger=FakeMessenger(), clock=clock, background=run_inline) for _ in range(2)]


def test_two_schedulers_on_one_database_fire_once(db_url, clock):
    first, second = two_bots(db_url, clock)
    clock.set(THURSDAY)
    a, b = service_for(first, clock, holder="a"), service_for(second, clock, holder="b")
    assert a.heartbeat() and b.heartbeat() == []
    assert a.tick("thursday_reminder").outcome == "taken" and b.tick("thursday_reminder") is None
    assert len(first.messenger.sent) == 2 and second.messenger.sent == []


def test_the_lease_passes_on_when_its_holder_stops_renewing_or_releases_it(db_url, clock):
    first, second = two_bots(db_url, clock)
    a, b = service_for(first, clock, holder="a"), service_for(second, clock, holder="b")
    assert a.hold_lease() and not b.hold_lease()
    clock.advance(seconds=60)
    assert a.hold_lease() and not b.hold_lease()  # renewed
    clock.advance(seconds=91)
    assert b.hold_lease() and not a.hold_lease()
    b.release()
    assert a.hold_lease()


def test_racing_runs_on_one_database_queue_the_pushes_once(db_url, clock):
    bots = two_bots(db_url, clock)
    reminder = job("thursday_reminder")
    barrier = threading.Barrier(len(bots))

    def firing(bot):
        def fire():
            barrier.wait(10)
            return fire_if_due(reminder, engine=bot.engine, now=THURSDAY, config=bot.config, calendar=bot.calendar)

        return fire

    results = run_together(*(firing(bot) for bot in bots))
    assert sorted((r.outcome, r.queued) for r in results) == [("fired", 2), ("taken", 0)]


def test_the_in_process_scheduler_catches_up_at_start_and_gives_the_lease_up_on_exit(db_url, clock):
    first, second = two_bots(db_url, clock)
    clock.set(THURSDAY + timedelta(minutes=1))
    a, b = service_for(first, clock, holder="a"), service_for(second, clock, holder="b")
    with background_scheduler(first.config, a) as scheduler:
        assert scheduler.running and sorted(s.target for s in first.messenger.sent) == ["jinghong", "mengla"]
        assert not b.hold_lease()
    assert not scheduler.running and b.hold_lease()


def test_the_heartbeat_forgets_callback_ids_older_than_a_week(bot, clock):
    from sqlmodel import Session, select

    from storage.dedupe import claim_message
    from storage.models import ProcessedMessage

    with session_scope(bot.engine) as session:
        claim_message(session=session, key="msg:old", now=clock() - timedelta(days=8))
        claim_message(session=session, key="msg:recent", now=clock() - timedelta(days=1))
    service_for(bot, clock).heartbeat()
    with Session(bot.engine) as session:
        assert [m.key for m in session.exec(select(ProcessedMessage))] == ["msg:recent"]
