"""The outbox sender against a fake WeCom server on 127.0.0.1: retries, final errors, robot pacing, restarts.

Also the web process's flush after a confirm: a burst of confirms folds into one sender.
"""

from __future__ import annotations

import itertools
import logging
import threading
from datetime import timedelta

import pytest
from sqlalchemy import update

from bot.messengers import WeComMessenger
from bot.runtime import Coalesced, build_bot, run_inline
from common.messenger import split_text
from scheduler.delivery import PART_LIMIT, DeliveryResult, deliver_pending
from scheduler.runs import fire_if_due
from storage.engine import session_scope
from storage.models import OutboxMessage
from storage.outbox import Kind, Push, queue
from tests.support.config import shanghai, wecom_config
from tests.support.factories import late_list
from tests.support.fakes import FakeSleep
from tests.support.scheduling import job, outbox, service_for
from tests.support.threads import Worker

THURSDAY = shanghai(2026, 11, 26, 15, 0)
KEYS = itertools.count()


def wecom_bot(fake_wecom, tmp_path, clock):
    config = wecom_config(fake_wecom, tmp_path)
    return build_bot(config, messenger=WeComMessenger(config), clock=clock, background=run_inline)


class Sender:
    """A bot on the fake server, its fake sleep, and one-call queueing and delivery."""

    def __init__(self, bot, clock):
        self.bot, self.clock, self.sleep = bot, clock, FakeSleep(clock)

    def queue(self, *texts: str, target: str = "jinghong", mention=(), kind: Kind = Kind.GROUP) -> None:
        pushes = [Push(f"test:{next(KEYS)}", kind, target, text, mention) for text in texts]
        with session_scope(self.bot.engine) as session:
            queue(session=session, pushes=pushes, now=self.clock())

    def deliver(self):
        return deliver_pending(engine=self.bot.engine, messenger=self.bot.messenger, clock=self.clock, sleep=self.sleep)


@pytest.fixture
def sender(fake_wecom, tmp_path, clock):
    clock.set(THURSDAY)
    return Sender(wecom_bot(fake_wecom, tmp_path, clock), clock)


def test_a_push_that_fails_twice_then_succeeds_is_delivered_once(sender, fake_wecom):
    fake_wecom.failures += [(502, None), (200, {"errcode": -1, "errmsg": "system busy"})]
    sender.queue("请报送", mention=["jh1", "jh2"])
    assert sender.deliver().sent == 1
    posts = fake_wecom.robot_posts("jh")
    assert len(posts) == 3 and posts[0] == posts[2]
    assert posts[2]["text"] == {"content": "请报送", "mentioned_list": ["jh1", "jh2"]}
    assert sender.sleep.waits == [1, 2]  # exponential backoff, on the fake clock
    [row] = outbox(sender.bot)
    assert (row.status, row.attempts) == ("sent", 1)
    assert sender.deliver().sent == 0 and len(fake_wecom.robot_posts("jh")) == 3


def test_a_longer_outage_is_retried_in_a_later_round(sender, fake_wecom, clock):
    fake_wecom.failures += [(503, None)] * 3
    sender.queue("请报送")
    assert sender.deliver().retrying == 1
    [row] = outbox(sender.bot)
    assert (row.status, row.next_attempt_at) == ("pending", clock() + timedelta(minutes=1))
    assert sender.deliver().sent == 0  # not due yet
    clock.advance(minutes=1)
    assert sender.deliver().sent == 1
    assert len(fake_wecom.robot_posts("jh")) == 4 and outbox(sender.bot)[0].status == "sent"


def test_a_final_errcode_is_not_retried_and_is_logged_with_its_errmsg(sender, fake_wecom, caplog):
    fake_wecom.failures.append((200, {"errcode": 93000, "errmsg": "invalid webhook url"}))
    sender.queue("请报送")
    with caplog.at_level(logging.ERROR):
        assert sender.deliver().failed == 1
    [row] = outbox(sender.bot)
    assert row.status == "failed" and "invalid webhook url" in row.last_error
    assert "93000" in caplog.text and "invalid webhook url" in caplog.text
    assert len(fake_wecom.robot_posts("jh")) == 1 and sender.sleep.waits == []


def test_a_group_robot_past_20_messages_a_minute_holds_the_rest_without_sleeping_or_holding_up_other_groups(sender, fake_wecom, clock):
    sender.queue(*(f"第{i}条" for i in range(25)), target="office")
    sender.queue("景洪请报送", target="jinghong")
    assert sender.deliver() == DeliveryResult(sent=21, held=5)
    assert sender.sleep.waits == []
    assert fake_wecom.robot_texts("office") == [f"第{i}条" for i in range(20)] and fake_wecom.robot_texts("jh") == ["景洪请报送"]
    held = [row for row in outbox(sender.bot) if row.status == "pending"]
    assert [row.text for row in held] == [f"第{i}条" for i in range(20, 25)]
    assert {(row.next_attempt_at, row.attempts) for row in held} == {(THURSDAY + timedelta(seconds=60), 0)}
    clock.advance(seconds=59)
    assert sender.deliver().sent == 0
    clock.advance(seconds=1)
    assert sender.deliver().sent == 5
    assert fake_wecom.robot_texts("office") == [f"第{i}条" for i in range(25)]
    assert outbox(sender.bot)[20].sent_at == THURSDAY + timedelta(seconds=60)


def test_a_long_text_goes_as_parts_under_the_byte_limit_mentioning_once(sender, fake_wecom):
    text = late_list(200)
    sender.queue(text, target="office", mention=["jh1"])
    assert sender.deliver().sent == 1
    parts = fake_wecom.robot_texts("office")
    assert len(parts) > 1 and all(len(p.encode()) <= 2048 for p in parts)
    assert "\n".join(parts) == text
    assert [p["text"]["mentioned_list"] for p in fake_wecom.robot_posts("office")] == [["jh1"]] + [[]] * (len(parts) - 1)


def test_a_part_that_fails_is_retried_later_without_repeating_the_parts_before_it(sender, fake_wecom, clock):
    parts = split_text(late_list(200), PART_LIMIT)
    fake_wecom.failures += [(200, {"errcode": 0, "errmsg": "ok"})] + [(503, None)] * 3  # part 1 goes, part 2 meets an outage
    sender.queue(late_list(200), target="office")
    assert sender.deliver().retrying == 1
    [row] = outbox(sender.bot)
    assert (row.status, row.parts_sent) == ("pending", 1)
    clock.advance(minutes=1)
    assert sender.deliver().sent == 1
    assert fake_wecom.robot_texts("office") == [parts[0]] + [parts[1]] * 4 + parts[2:]  # three failed tries, then the rest once
    assert (outbox(sender.bot)[0].status, outbox(sender.bot)[0].parts_sent) == ("sent", len(parts))


def test_robot_pacing_counts_the_parts_of_long_texts(sender, fake_wecom, clock):
    sender.queue(late_list(1200), target="office")
    parts = split_text(late_list(1200), PART_LIMIT)
    assert len(parts) > 20
    assert sender.deliver() == DeliveryResult(held=1)
    [row] = outbox(sender.bot)
    assert (row.status, row.parts_sent, row.next_attempt_at) == ("pending", 20, THURSDAY + timedelta(seconds=60))
    clock.advance(seconds=60)
    assert sender.deliver().sent == 1
    assert sender.sleep.waits == [] and fake_wecom.robot_texts("office") == parts


def test_a_push_claimed_by_a_sender_that_died_is_sent_later(sender, fake_wecom, clock):
    sender.queue("中断")
    with session_scope(sender.bot.engine) as session:
        session.execute(update(OutboxMessage).values(status="sending"))  # claimed, then the process died mid-send
    assert sender.deliver().sent == 0
    clock.advance(minutes=11)
    assert sender.deliver().sent == 1 and len(fake_wecom.robot_posts("jh")) == 1


def test_pending_pushes_are_sent_after_a_restart(fake_wecom, tmp_path, clock):
    bot = wecom_bot(fake_wecom, tmp_path, clock)
    clock.set(THURSDAY)
    assert fire_if_due(job("thursday_reminder"), engine=bot.engine, now=clock(), config=bot.config, calendar=bot.calendar).queued == 2
    bot.engine.dispose()  # the process dies before delivering
    assert fake_wecom.calls == []
    clock.advance(minutes=3)
    restarted = service_for(wecom_bot(fake_wecom, tmp_path, clock), clock, holder="after-restart")
    restarted.heartbeat()
    restarted.heartbeat()
    assert len(fake_wecom.robot_posts("jh")) == 1 and len(fake_wecom.calls_to("appchat/send")) == 1
    assert [row.status for row in outbox(restarted)] == ["sent", "sent"]


class BlockingAction:
    """Counts its runs; the first one waits until released, so calls can arrive while it runs."""

    def __init__(self, fail_first: bool = False):
        self.runs = 0
        self.fail_first = fail_first
        self.started, self.release = threading.Event(), threading.Event()

    def __call__(self) -> None:
        self.runs += 1
        if self.runs == 1:
            self.started.set()
            assert self.release.wait(5)  # raised in the flushing thread, and re-raised in the test by Worker.join
            if self.fail_first:
                raise ConnectionError("WeCom down")


def run_first_call_in_thread(flush: Coalesced, action: BlockingAction) -> Worker:
    first = Worker(flush, name="first flush").start()
    assert action.started.wait(5)
    return first


def test_flushes_requested_during_a_flush_fold_into_one_more_run():
    action = BlockingAction()
    flush = Coalesced(action)
    first = run_first_call_in_thread(flush, action)
    for _ in range(10):
        flush()  # returns at once: the running flush will go round once more
    assert action.runs == 1
    action.release.set()
    first.join(5)  # the first flush ended without an error
    assert action.runs == 2
    flush()
    assert action.runs == 3


def test_a_failed_flush_does_not_block_later_ones():
    action = BlockingAction(fail_first=True)
    flush = Coalesced(action)
    first = run_first_call_in_thread(flush, action)
    action.release.set()
    with pytest.raises(ConnectionError):
        first.join(5)  # the failure reaches the caller of the flush that met it
    flush()
    assert action.runs == 2
