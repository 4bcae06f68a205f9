"""A unit that reported on time and revises after the deadline stays 按时; the revision is called 截止后修改."""

from __future__ import annotations

from tests.support.chat import Chat, fill_until_summary
from tests.support.config import shanghai
from tests.support.factories import add_report

SATURDAY = shanghai(2026, 11, 28, 9, 30)  # after the week's deadline, Friday 11月27日（周五）12:00


def revise(chat: Chat, summary: str) -> str:
    """Re-open the week's report, change its first field, confirm; the receipt."""
    chat.say("修改")
    chat.say_all("修改 1", summary)
    return chat.say("确认")


def test_the_receipt_status_query_and_my_report_agree(jh1, wecom, clock):
    fill_until_summary(jh1)
    assert jh1.say("确认").startswith("已提交（按时）")
    clock.set(SATURDAY)
    revise(jh1, "补充后的简介")
    receipt = revise(jh1, "再次补充的简介")
    assert receipt.endswith("本周已按时报送；本次为截止后修改（第3版）。")
    assert "景洪市人民法院：已报送 11月25日（周三）10:00 按时 截止后修改" in wecom.say("admin1", "状态")
    query = wecom.say("admin1", "查询 景洪").splitlines()
    assert query[1:3] == ["提交：11月28日（周六）09:30 jh1（截止后修改）", "【历史】共 3 版，首次提交 11月25日（周三）10:00（按时），以下为最新一版"]
    assert "第48周（11月23日—29日） 已报送 11月25日（周三）10:00 按时 截止后修改" in wecom.say("admin1", "历史 景洪")
    assert "已提交（截止后修改），第 3 版" in jh1.say("我的周报")


def test_a_revision_before_the_deadline_is_only_revised(jh1, wecom):
    fill_until_summary(jh1)
    jh1.say("确认")
    assert revise(jh1, "补充后的简介").startswith("已提交（按时）：第48周（11月23日—29日）周报（景洪市人民法院），第 2 版。")
    assert "景洪市人民法院：已报送 11月25日（周三）10:00 按时 已修改" in wecom.say("admin1", "状态")


def test_last_weeks_on_time_report_revised_this_week(jh1, bot, wecom):
    add_report(bot, "jinghong", "2026-W47", shanghai(2026, 11, 19, 9))
    jh1.say("修改 上周")
    jh1.say_all("修改 1", "补充后的简介")
    assert jh1.say("确认").endswith("上周已按时报送；本次为截止后修改（第2版）。")
    assert "景洪市人民法院：已报送 11月19日（周四）09:00 按时 截止后修改" in wecom.say("admin1", "状态 上周")


def test_a_late_report_revised_later_stays_late(jh1, bot, wecom):
    add_report(bot, "jinghong", "2026-W47", shanghai(2026, 11, 20, 15))
    jh1.say("修改 上周")
    jh1.say_all("修改 1", "补充后的简介")
    assert jh1.say("确认").startswith("已提交（逾期）：第47周（11月16日—22日）周报（景洪市人民法院），第 2 版。")
    assert "景洪市人民法院：已报送 11月20日（周五）15:00 逾期 已修改" in wecom.say("admin1", "状态 上周")
