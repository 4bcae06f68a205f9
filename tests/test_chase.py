"""催报 / 催报 <单位> through the encrypted webhook, the reminders landing on the fake WeCom server."""

from __future__ import annotations

import pytest

from bot.runtime import build_bot, run_inline
from tests.support.config import make_config, shanghai
from tests.support.factories import add_report
from tests.support.scheduling import outbox
from tests.support.wecom_sim import wecom_for

WEEK = "第48周（11月23日—29日）"
JH_REMINDER = f"【催报】景洪市人民法院尚未报送{WEEK}执行宣传工作周报，截止时间为11月27日（周五）12:00。请尽快在应用中发送“周报”填报。"


@pytest.fixture
def admin(wecom_bot, clock):
    clock.set(shanghai(2026, 11, 26, 10, 5))
    return lambda text: wecom_for(wecom_bot).say("admin1", text)


def chat_texts(fake_wecom, chat_id: str) -> list[str]:
    """What WeCom took for an app group chat, in order."""
    return [c.body["text"]["content"] for c in fake_wecom.calls_to("appchat/send") if c.body["chatid"] == chat_id]


def test_chase_reminds_every_missing_unit_in_its_group_mentioning_its_members(admin, fake_wecom, wecom_bot):
    assert admin("催报").splitlines() == [
        f"已向 2 个单位发送催报（{WEEK}，截止 11月27日（周五）12:00）：",
        "景洪市人民法院：已提醒 jh1、jh2",
        "勐腊县人民法院：已提醒 ml1",
    ]
    assert fake_wecom.robot_posts("jh") == [{"msgtype": "text", "text": {"content": JH_REMINDER, "mentioned_list": ["jh1", "jh2"]}}]
    assert chat_texts(fake_wecom, "chat-mengla") == [JH_REMINDER.replace("景洪市", "勐腊县")]
    assert {row.status for row in outbox(wecom_bot)} == {"sent"}
    assert all(row.key.startswith("chase:2026-W48:") for row in outbox(wecom_bot))


def test_chase_of_one_unit_reminds_only_that_unit(admin, fake_wecom):
    assert admin("催报 景洪").splitlines() == [f"已向 1 个单位发送催报（{WEEK}，截止 11月27日（周五）12:00）：", "景洪市人民法院：已提醒 jh1、jh2"]
    assert fake_wecom.robot_texts("jh") == [JH_REMINDER]
    assert chat_texts(fake_wecom, "chat-mengla") == []


def test_a_unit_that_has_reported_is_not_chased_and_the_reply_says_why(admin, fake_wecom, wecom_bot):
    add_report(wecom_bot, "jinghong", "2026-W48", shanghai(2026, 11, 24, 9, 30))
    assert admin("催报 景洪") == f"景洪市人民法院 {WEEK}：已报送 11月24日（周二）09:30 按时，无需催报。"
    assert admin("催报").splitlines()[1:] == ["勐腊县人民法院：已提醒 ml1"]
    assert fake_wecom.robot_posts("jh") == []
    add_report(wecom_bot, "mengla", "2026-W48", shanghai(2026, 11, 26, 11), by="ml1")
    assert admin("催报") == f"{WEEK} 各单位均已报送，无需催报。"


def test_a_second_chase_within_the_hour_sends_nothing_and_says_when_the_last_went(admin, fake_wecom, clock):
    admin("催报 勐腊")
    clock.advance(minutes=59)
    assert admin("催报 勐腊") == "勐腊县人民法院：已于 11月26日（周四）10:05 催报，1 小时内不重复发送"
    assert admin("催报").splitlines() == [
        f"已向 1 个单位发送催报（{WEEK}，截止 11月27日（周五）12:00）：",
        "景洪市人民法院：已提醒 jh1、jh2",
        "勐腊县人民法院：已于 11月26日（周四）10:05 催报，1 小时内不重复发送",
    ]
    assert len(chat_texts(fake_wecom, "chat-mengla")) == 1
    clock.advance(minutes=1)  # an hour after the first
    assert admin("催报").splitlines()[1:] == ["勐腊县人民法院：已提醒 ml1", "景洪市人民法院：已于 11月26日（周四）11:04 催报，1 小时内不重复发送"]
    assert len(chat_texts(fake_wecom, "chat-mengla")) == 2


def test_a_chase_after_the_deadline_says_the_report_is_overdue(admin, fake_wecom, clock):
    clock.set(shanghai(2026, 11, 27, 14, 0))
    admin("催报 景洪")
    assert fake_wecom.robot_texts("jh") == [
        f"【催报】景洪市人民法院尚未报送{WEEK}执行宣传工作周报，已超过截止时间11月27日（周五）12:00，请立即在应用中发送“周报”补报。"
    ]


def test_a_returned_report_is_not_chased(admin, fake_wecom, wecom_bot):
    add_report(wecom_bot, "jinghong", "2026-W48", shanghai(2026, 11, 24, 9, 30))
    admin("退回 景洪 缺少稿件链接")
    assert admin("催报 景洪") == f"景洪市人民法院 {WEEK}：已退回 11月26日（周四）10:05，待重新提交。退回时已通知该单位，不再催报。"
    assert admin("催报").splitlines()[1:] == ["勐腊县人民法院：已提醒 ml1"]
    assert len(fake_wecom.robot_posts("jh")) == 1  # the return's own message


def test_chase_names_a_unit_it_can_find(admin, fake_wecom):
    assert "没有找到单位“昆明”" in admin("催报 昆明")
    assert fake_wecom.calls == []


def test_nothing_is_chased_in_an_exempt_week(tmp_path, clock, messenger):
    config = make_config(f"sqlite:///{tmp_path}/e.db", schedule={"exempt_weeks": ["2026-W48"]})
    bot = build_bot(config, messenger=messenger, clock=clock, background=run_inline)
    assert wecom_for(bot).say("admin1", "催报") == f"{WEEK} 本周免报，无需催报。"
    assert messenger.sent == []
