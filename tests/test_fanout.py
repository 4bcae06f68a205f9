"""The outbox sender fanning out: targets at once, each in order; WeCom's per-member limits held without sleeping; two senders, one send each."""

from __future__ import annotations

import itertools
import threading
from collections import Counter
from dataclasses import replace
from datetime import timedelta

from sqlalchemy import update

from bot.messengers import WeComMessenger
from bot.runtime import build_bot, run_in_thread, run_inline
from common.config import GroupConfig
from scheduler.delivery import DeliveryResult, deliver_pending
from storage.engine import session_scope
from storage.models import OutboxMessage
from storage.outbox import Kind, Push, queue
from tests.support.config import shanghai
from tests.support.fakes import FakeMessenger, FakeSleep
from tests.support.live_server import poll
from tests.support.scheduling import outbox
from tests.support.threads import Worker, run_together

THURSDAY = shanghai(2026, 11, 26, 15, 0)
ROBOTS = {"office": "office", "enforcement": "enf", "jinghong": "jh"}  # group id -> robot key in the test config
MEMBERS = ("jh1", "jh2", "ml1", "admin1")
KEYS = itertools.count()


def pushes(count: int, kind: Kind, target: str) -> list[Push]:
    return [Push(f"fan:{next(KEYS)}", kind, target, f"{target} 第{i}条") for i in range(count)]


def queue_all(bot, *batches: list[Push]) -> None:
    with session_scope(bot.engine) as session:
        queue(session=session, pushes=[push for batch in batches for push in batch], now=bot.clock())


def deliver(bot) -> DeliveryResult:
    return deliver_pending(engine=bot.engine, messenger=bot.messenger, clock=bot.clock, sleep=bot.sleep)


def app_texts(fake_wecom, user: str) -> list[str]:
    return [c.body["text"]["content"] for c in fake_wecom.calls_to("message/send") if c.ok and c.body["touser"] == user]


def every_text(fake_wecom) -> list[str]:
    """Each text WeCom took, robots' and app messages'."""
    bodies = [c.body for c in fake_wecom.calls_to("webhook/send") + fake_wecom.calls_to("message/send") if c.ok]
    return [body["text"]["content"] for body in bodies]


def test_targets_are_sent_to_at_once_each_in_its_own_order(wecom_bot, fake_wecom, clock):
    clock.set(THURSDAY)
    fake_wecom.latency = 0.2
    queue_all(wecom_bot, *[pushes(3, Kind.GROUP, group) for group in ROBOTS], *[pushes(3, Kind.USERS, user) for user in MEMBERS])
    assert deliver(wecom_bot) == DeliveryResult(sent=21)
    assert fake_wecom.most_at_once >= 4  # seven targets, one call in flight each
    for group, key in ROBOTS.items():
        assert fake_wecom.robot_texts(key) == [f"{group} 第{i}条" for i in range(3)]
    for user in MEMBERS:
        assert app_texts(fake_wecom, user) == [f"{user} 第{i}条" for i in range(3)]


def test_a_member_past_30_app_messages_a_minute_waits_for_room_while_others_are_sent(wecom_bot, fake_wecom, clock):
    clock.set(THURSDAY)
    queue_all(wecom_bot, pushes(35, Kind.USERS, "jh1"), pushes(1, Kind.USERS, "jh2"))
    assert deliver(wecom_bot) == DeliveryResult(sent=31, held=5)
    assert wecom_bot.sleep.waits == []
    assert len(app_texts(fake_wecom, "jh1")) == 30 and app_texts(fake_wecom, "jh2") == ["jh2 第0条"]
    assert {row.next_attempt_at for row in outbox(wecom_bot) if row.status == "pending"} == {THURSDAY + timedelta(minutes=1)}
    clock.advance(minutes=1)
    assert deliver(wecom_bot).sent == 5
    assert app_texts(fake_wecom, "jh1") == [f"jh1 第{i}条" for i in range(35)]


def test_a_member_sent_1000_app_messages_within_the_hour_waits_until_the_hour_has_room(wecom_bot, fake_wecom, clock):
    clock.set(THURSDAY)
    queue_all(wecom_bot, pushes(1000, Kind.USERS, "jh1"))
    with session_scope(wecom_bot.engine) as session:
        session.execute(update(OutboxMessage).values(status="sent", parts_sent=1, sent_at=THURSDAY - timedelta(minutes=50)))
    queue_all(wecom_bot, [Push("fan:hourly", Kind.USERS, "jh1|jh2", "本小时第1001条")])  # to two members: the busier one decides
    assert deliver(wecom_bot) == DeliveryResult(held=1)
    [held] = [row for row in outbox(wecom_bot) if row.status == "pending"]
    assert held.next_attempt_at == THURSDAY + timedelta(minutes=10)
    clock.advance(minutes=10)
    assert deliver(wecom_bot).sent == 1 and app_texts(fake_wecom, "jh1|jh2") == ["本小时第1001条"]


def test_two_senders_on_one_database_send_each_push_once(wecom_bot, fake_wecom, clock):
    clock.set(THURSDAY)
    fake_wecom.latency = 0.02
    other = build_bot(wecom_bot.config, messenger=WeComMessenger(wecom_bot.config), clock=clock, background=run_inline, sleep=FakeSleep(clock))
    batches = [pushes(6, Kind.GROUP, group) for group in ROBOTS] + [pushes(6, Kind.USERS, user) for user in MEMBERS]
    queue_all(wecom_bot, *batches)
    results = run_together(lambda: deliver(wecom_bot), lambda: deliver(other))
    assert sum(result.sent for result in results) == 42
    assert Counter(every_text(fake_wecom)) == Counter(push.text for batch in batches for push in batch)
    assert max(Counter(every_text(fake_wecom)).values()) == 1
    assert {row.status for row in outbox(wecom_bot)} == {"sent"}


def test_reminders_to_300_groups_are_all_sent_once(wecom_bot, fake_wecom, clock):
    """Many targets in one round: every row claimed, sent and recorded once, whatever the threads' order."""
    clock.set(THURSDAY)
    groups = [GroupConfig(f"g{i}", webhook_url=fake_wecom.robot_url(f"k{i}")) for i in range(300)]
    config = replace(wecom_bot.config, groups=(*wecom_bot.config.groups, *groups))
    bot = build_bot(config, messenger=WeComMessenger(config), clock=clock, background=run_inline, sleep=FakeSleep(clock))
    queue_all(bot, *[pushes(1, Kind.GROUP, f"g{i}") for i in range(300)])
    assert deliver(bot) == DeliveryResult(sent=300)
    assert sorted(c.query["key"] for c in fake_wecom.calls_to("webhook/send")) == sorted(f"k{i}" for i in range(300))


class HeldMessenger(FakeMessenger):
    """A WeCom that takes each message only once `answer` is set: a fan-out still under way."""

    def __init__(self):
        super().__init__()
        self.answer = threading.Event()

    def send_to_group(self, group_id, text, mention=()):
        assert self.answer.wait(10)
        super().send_to_group(group_id, text, mention)


def test_the_heartbeat_keeps_the_lease_while_a_delivery_is_under_way(config, clock):
    clock.set(THURSDAY)
    messenger = HeldMessenger()
    bot = build_bot(config, messenger=messenger, clock=clock, background=run_in_thread, sleep=FakeSleep(clock))
    queue_all(bot, pushes(1, Kind.GROUP, "office"))
    service = bot.scheduler()
    Worker(service.heartbeat).start().join(5)  # returns with the push still being sent
    clock.advance(seconds=30)
    Worker(service.heartbeat).start().join(5)
    assert service.holding and messenger.sent == []
    messenger.answer.set()
    poll(lambda: messenger.to("office"), what="the held push sent", timeout=10)
