"""Long WeCom outages on a fake clock: pushes wait and go when WeCom is back, the admins are told once, final errors end at once."""

from __future__ import annotations

import pytest

from storage.engine import session_scope
from storage.outbox import Kind, Push, queue
from tests.support.chat import Chat, notify
from tests.support.scheduling import outbox, service_for
from tests.support.wecom_sim import wecom_for

ROBOTS_DOWN = {"webhook/send": (502, None)}
BAD_KEY = (200, {"errcode": 93000, "errmsg": "invalid webhook url"})


@pytest.fixture
def bot(wecom_bot):
    return wecom_bot


@pytest.fixture
def jh1(bot, clock):
    return Chat(wecom_for(bot), "jh1")


def rounds(bot, clock, *, hours: int = 0, minutes: int = 0, every: int = 1) -> None:
    """The scheduler's delivery every `every` minutes for that long, on the fake clock (nothing waits for real)."""
    service = service_for(bot, clock)
    for _ in range((hours * 60 + minutes) // every):
        clock.advance(minutes=every)
        service.deliver()


def admin_texts(fake_wecom) -> list[str]:
    """The app messages WeCom took for the admin."""
    return [c.body["text"]["content"] for c in fake_wecom.calls_to("message/send") if c.ok and c.body["touser"] == "admin1"]


def robots_reached(fake_wecom) -> list[str]:
    """The robot keys of the posts WeCom took, in order."""
    return [c.query["key"] for c in fake_wecom.calls_to("webhook/send") if c.ok]


def test_a_notice_push_waits_out_a_long_robot_outage_and_goes_once_when_wecom_is_back(fake_wecom, bot, jh1, clock):
    fake_wecom.outages.update(ROBOTS_DOWN)
    assert "已通知中院办公室" in notify(jh1, "11月30日 9:30")
    rounds(bot, clock, minutes=59)
    assert admin_texts(fake_wecom) == []  # failing, but not yet for an hour
    rounds(bot, clock, minutes=41)  # 100 minutes in all, past the old last round (1 + 5 + 15 + 60 minutes)
    assert [row.status for row in outbox(bot) if row.key.startswith("notice:")] == ["pending", "pending"]
    [alert] = admin_texts(fake_wecom)
    assert alert.startswith("【推送延迟】") and "502" in alert
    fake_wecom.outages.clear()
    rounds(bot, clock, hours=1)
    assert sorted(robots_reached(fake_wecom)) == ["enf", "office"]  # each once, in no order: groups are sent to at once
    assert {row.status for row in outbox(bot)} == {"sent"}
    assert len(admin_texts(fake_wecom)) == 1


def test_the_alert_goes_in_the_round_whose_failure_raised_it(fake_wecom, bot, jh1, clock):
    fake_wecom.outages.update(ROBOTS_DOWN)
    notify(jh1, "11月30日 9:30")
    rounds(bot, clock, minutes=80)  # rounds at 0, 1, 6 and 21 minutes: failing for 21 minutes
    assert admin_texts(fake_wecom) == []
    rounds(bot, clock, minutes=1)  # the fifth round, 81 minutes after the first: failing for over an hour
    assert [row.attempts for row in outbox(bot) if row.key.startswith("notice:")] == [5, 5]
    assert len(admin_texts(fake_wecom)) == 1


def test_one_alert_per_outage_even_when_the_app_channel_is_down_too(fake_wecom, bot, jh1, clock):
    fake_wecom.outages.update(ROBOTS_DOWN | {"message/send": (502, None)})
    notify(jh1, "11月30日 9:30")
    rounds(bot, clock, hours=5)
    assert [row.key for row in outbox(bot) if row.key.startswith("alert:")] == ["alert:delayed:1"]
    fake_wecom.outages.clear()
    rounds(bot, clock, hours=1)
    assert len(admin_texts(fake_wecom)) == 1
    fake_wecom.outages.update(ROBOTS_DOWN)  # a second outage, with a new push
    notify(jh1, "12月1日 9:30")
    rounds(bot, clock, hours=2)
    assert len(admin_texts(fake_wecom)) == 2


def test_a_push_failing_for_three_days_is_given_up_and_reported(fake_wecom, bot, clock):
    fake_wecom.outages.update(ROBOTS_DOWN)
    with session_scope(bot.engine) as session:
        queue(session=session, pushes=[Push("notice:1:1:office", Kind.GROUP, "office", "预告")], now=clock())
    service_for(bot, clock).deliver()  # its first try, right after it was queued
    rounds(bot, clock, hours=72, every=61)  # each round an hour after the last
    assert [row.status for row in outbox(bot)] == ["pending", "sent"]  # and the outage's alert
    rounds(bot, clock, hours=6, every=61)
    assert outbox(bot)[0].status == "failed"
    delayed, given_up = admin_texts(fake_wecom)
    assert delayed.startswith("【推送延迟】")
    assert given_up.startswith("【推送失败】") and "“office”" in given_up and "502" in given_up


def test_a_final_errcode_ends_the_row_at_once_and_the_admins_are_told_once_a_day(fake_wecom, bot, jh1, clock):
    fake_wecom.outages["key=office"] = BAD_KEY
    notify(jh1, "11月30日 9:30")
    notify(jh1, "12月1日 9:30")
    assert [(row.target, row.status) for row in outbox(bot) if row.key.startswith("notice:")] == [
        ("office", "failed"), ("enforcement", "sent"), ("office", "failed"), ("enforcement", "sent"),
    ]
    assert len(fake_wecom.calls_to("webhook/send")) == 4  # one try each: 93000 is final
    [alert] = admin_texts(fake_wecom)
    assert alert.startswith("【推送失败】") and "“office”" in alert and "93000" in alert
    clock.advance(days=1)
    notify(jh1, "12月2日 9:30")
    assert len(admin_texts(fake_wecom)) == 2
