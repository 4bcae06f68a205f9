"""Pushes to members on WeChat: the reminders as template messages to those WeCom does not know (once each, retried by
the outbox), and customer-service messages refused for good once a follower has not written for 48 hours."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import update

from bot.outbound import Channels
from bot.runtime import build_bot, run_inline
from bot.wechat_api import WeChatMessenger
from storage.engine import session_scope
from storage.models import Person
from tests.support.config import make_config, shanghai
from tests.support.factories import add_report
from tests.support.fakes import FakeSleep
from tests.support.scheduling import outbox, service_for
from tests.support.wechat_sim import bound, wechat_for, wechat_settings

THURSDAY = shanghai(2026, 11, 26, 15, 0)
FIELDS = {"thing1": "unit", "thing2": "task", "phrase3": "state", "time4": "deadline", "thing5": "action"}


def templates(fake_wechat, openid: str) -> list[dict]:
    """What each template message to the follower showed, field by field."""
    return [{field: value["value"] for field, value in body["data"].items()} for body in fake_wechat.templates_to(openid)]


def known_in_wecom(bot, user_id: str, known: bool) -> None:
    with session_scope(bot.engine) as session:
        session.execute(update(Person).where(Person.user_id == user_id).values(in_wecom=known))


def test_the_thursday_reminder_reaches_a_member_on_wechat_alone_as_the_template_once(wechat_bot, bind, fake_wechat, messenger, clock):
    openid = bind("jh2")
    clock.set(THURSDAY)
    service = service_for(wechat_bot, clock)
    assert service.tick("thursday_reminder").queued == 3  # the two units' groups, and jh2 on WeChat
    [body] = fake_wechat.templates_to(openid)
    assert body["template_id"] == "TPL-reminder_01" and "url" not in body
    assert body["data"] == {"thing1": {"value": "第48周周报尚未报送"}, "time2": {"value": "2026年11月27日 12:00"}}
    assert sorted(s.target for s in messenger.sent if s.kind == "group") == ["jinghong", "mengla"]  # the groups as before
    assert service.tick("thursday_reminder").queued == 0
    assert len(fake_wechat.templates_to(openid)) == 1


def test_members_wecom_knows_those_unfollowed_and_units_that_reported_get_no_template(wechat, wechat_bot, bind, fake_wechat, clock):
    in_wecom, gone, reported = bind("jh1"), bind("ml1"), bind("jh2")
    known_in_wecom(wechat_bot, "jh1", True)
    wechat.event(gone, "unsubscribe")
    add_report(wechat_bot, "jinghong", "2026-W48", shanghai(2026, 11, 26, 9))
    clock.set(THURSDAY)
    service_for(wechat_bot, clock).tick("thursday_reminder")
    assert [fake_wechat.templates_to(o) for o in (in_wecom, gone, reported)] == [[], [], []]


def test_the_friday_alert_shows_each_value_the_template_maps(db_url, messenger, clock, fake_wechat):
    config = make_config(db_url, wechat=wechat_settings(fake_wechat) | {"reminder_template_fields": FIELDS})
    bot = build_bot(config, messenger=Channels(messenger, WeChatMessenger(config.wechat)), clock=clock, background=run_inline)
    bind_here(bot, fake_wechat, "ml1", "oML1")
    clock.set(shanghai(2026, 11, 27, 12, 5))
    service_for(bot, clock).tick("friday_overdue")
    assert templates(fake_wechat, "oML1") == [
        {"thing1": "勐腊", "thing2": "第48周周报已逾期", "phrase3": "已逾期", "time4": "2026年11月27日 12:00", "thing5": "请在公众号中发送“周报”填报"}
    ]


def bind_here(bot, fake_wechat, user_id: str, openid: str) -> str:
    return bound(bot, wechat_for(bot, fake_wechat), user_id, openid)


def test_without_a_template_id_no_template_is_queued(db_url, messenger, clock, fake_wechat):
    config = make_config(db_url, wechat=wechat_settings(fake_wechat, template=""))
    bot = build_bot(config, messenger=Channels(messenger, WeChatMessenger(config.wechat)), clock=clock, background=run_inline)
    bind_here(bot, fake_wechat, "ml1", "oML1")
    clock.set(THURSDAY)
    assert service_for(bot, clock).tick("thursday_reminder").queued == 2
    assert fake_wechat.calls_to("message/template/send") == []


def test_a_template_wechat_did_not_answer_is_resent_unmarked_under_the_same_client_msg_id(db_url, messenger, clock, fake_wechat):
    config = make_config(db_url, wechat=wechat_settings(fake_wechat))
    slow = Channels(messenger, WeChatMessenger(config.wechat, timeout=0.5))
    bot = build_bot(config, messenger=slow, clock=clock, background=run_inline, sleep=FakeSleep(clock))
    bind_here(bot, fake_wechat, "ml1", "oML1")
    clock.set(THURSDAY)
    fake_wechat.delays.append(1.0)  # received, answered after the client gave up
    service = service_for(bot, clock)
    service.tick("thursday_reminder")
    [row] = [r for r in outbox(bot) if r.kind == "template"]
    assert (row.status, row.in_doubt) == ("pending", True)
    clock.advance(minutes=1)
    assert service.deliver().sent == 1
    first, second = fake_wechat.calls_to("message/template/send")
    assert first.body == second.body and "重发" not in json.dumps(second.body, ensure_ascii=False)
    assert len(first.body["client_msg_id"]) == 32


@pytest.mark.parametrize("failure", [(502, None), (200, {"errcode": -1, "errmsg": "system busy"})], ids=["http-502", "busy"])
def test_a_template_that_fails_is_retried_by_the_outbox(wechat_bot, bind, fake_wechat, clock, failure):
    openid = bind("ml1")
    clock.set(THURSDAY)
    fake_wechat.failures += [failure] * 3  # every quick try of the first round
    service = service_for(wechat_bot, clock)
    service.tick("thursday_reminder")
    assert fake_wechat.templates_to(openid) == []
    clock.advance(minutes=1)
    service.deliver()
    assert len(fake_wechat.templates_to(openid)) == 1


def test_customer_service_messages_are_refused_for_good_48_hours_after_the_followers_last_message(wechat, wechat_bot, bind, fake_wechat, messenger, clock):
    add_report(wechat_bot, "jinghong", "2026-W48", shanghai(2026, 11, 24, 9), summary="执行" * 600, effects="效果" * 600)
    admin = bind("admin1", "oADMIN")
    fake_wechat.outages["message/custom/send"] = (503, None)  # WeChat down: the rest of the answer waits
    assert wechat.say(admin, "查询 景洪").endswith("（内容较长，其余部分随后发送）")
    del fake_wechat.outages["message/custom/send"]
    clock.advance(hours=49)
    service_for(wechat_bot, clock).deliver()
    [row] = [r for r in outbox(wechat_bot) if r.kind == "follower"]
    assert (row.status, row.target) == ("failed", admin) and "45015" in row.last_error
    assert fake_wechat.texts_to(admin) == []
    attempts = len(fake_wechat.calls_to("message/custom/send"))
    clock.advance(hours=2)
    service_for(wechat_bot, clock).deliver()
    assert len(fake_wechat.calls_to("message/custom/send")) == attempts  # never tried again
    assert any("【推送失败】" in s.text and "45015" in s.text for s in messenger.sent if s.kind == "users")


def test_wecoms_directory_says_who_is_on_wechat_alone(db_url, messenger, clock, fake_wechat, fake_wecom):
    fake_wecom.names["jh1"] = "李华"  # jh2 WeCom does not know
    config = make_config(db_url, wecom={"secret": "s3cret", "api_base_url": fake_wecom.base_url}, wechat=wechat_settings(fake_wechat))
    bot = build_bot(config, messenger=Channels(messenger, WeChatMessenger(config.wechat)), clock=clock, background=run_inline)
    bind_here(bot, fake_wechat, "jh1", "oJH1")
    bind_here(bot, fake_wechat, "jh2", "oJH2")
    assert {"jh1", "jh2"} <= set(fake_wecom.looked_up())
    clock.set(THURSDAY)
    service_for(bot, clock).tick("thursday_reminder")
    assert (fake_wechat.templates_to("oJH1"), len(fake_wechat.templates_to("oJH2"))) == ([], 1)
