"""退回 <单位> <原因> through the encrypted webhook: who is told, 已退回 wherever the week is shown, resubmission and its timeliness."""

from __future__ import annotations

import io
from datetime import datetime

import openpyxl
import pytest

from tests.support.chat import Chat
from tests.support.config import shanghai
from tests.support.factories import add_report
from tests.support.wecom_sim import wecom_for

WEEK = "第48周（11月23日—29日）"
RETURNED = f"已退回 景洪市人民法院 {WEEK} 周报（第 2 版），原因：缺少稿件链接。已通知该单位群及提交人 jh2。"


@pytest.fixture
def reported(bot, clock):
    """景洪 sent its report on time (jh1) and revised it (jh2); it is Thursday 10:05."""
    add_report(bot, "jinghong", "2026-W48", shanghai(2026, 11, 24, 9, 30))
    add_report(bot, "jinghong", "2026-W48", shanghai(2026, 11, 24, 11), by="jh2")
    clock.set(shanghai(2026, 11, 26, 10, 5))


def group_text(messenger) -> str:
    """What 景洪's group was told."""
    [sent] = messenger.to("jinghong")
    return sent.text


def resubmit(chat: Chat) -> str:
    """The member opens the returned report and confirms it unchanged; the receipt."""
    assert "已被中院办公室退回，原因：缺少稿件链接" in chat.say("修改")
    return chat.say("确认")


def test_the_reason_is_kept_as_typed_with_its_chinese_punctuation(wecom, reported, messenger):
    assert "原因：链接有误，请核对（第2篇）" in wecom.say("admin1", "退回　景洪　链接有误，请核对（第2篇）。")
    assert "原因：链接有误，请核对（第2篇）" in group_text(messenger)


def test_the_group_and_the_last_submitter_are_told_why_and_how_to_resubmit(wecom_bot, fake_wecom, clock):
    add_report(wecom_bot, "jinghong", "2026-W48", shanghai(2026, 11, 24, 9, 30))
    add_report(wecom_bot, "jinghong", "2026-W48", shanghai(2026, 11, 24, 11), by="jh2")
    clock.set(shanghai(2026, 11, 26, 10, 5))
    assert wecom_for(wecom_bot).say("admin1", "退回 景洪 缺少稿件链接") == RETURNED
    told = (f"景洪市人民法院{WEEK}周报已被中院办公室退回，原因：缺少稿件链接。请发送“修改”（下周请发送“修改 上周”）打开已提交的内容，"
            "修改后于11月27日（周五）12:00前重新提交，仍计为按时。")
    assert fake_wecom.robot_posts("jh") == [{"msgtype": "text", "text": {"content": f"【周报退回】{told}", "mentioned_list": ["jh1", "jh2"]}}]
    [app_message] = fake_wecom.calls_to("message/send")
    assert (app_message.body["touser"], app_message.body["text"]["content"]) == ("jh2", f"您提交的{told}")


def test_a_returned_report_shows_已退回_in_status_query_history_and_the_workbook(wecom, reported, messenger):
    wecom.say("admin1", "退回 景洪 缺少稿件链接")
    status = wecom.say("admin1", "状态").splitlines()
    assert status[2:] == [
        "已报送 0（按时 0，逾期 0），未报送 1，已退回 1", "景洪市人民法院：已退回 11月26日（周四）10:05，待重新提交", "勐腊县人民法院：未报送",
    ]
    assert wecom.say("admin1", "查询 景洪").splitlines()[1] == "【已退回】11月26日（周四）10:05 由 admin1 退回，原因：缺少稿件链接。待单位重新提交。"
    assert wecom.say("admin1", "历史 景洪").splitlines()[1] == f"{WEEK} 已退回 11月26日（周四）10:05，待重新提交"
    wecom.say("admin1", "导出")
    [file] = [s for s in messenger.sent if s.kind == "file"]
    summary = openpyxl.load_workbook(io.BytesIO(file.content))["汇总"]
    assert [c.value for c in summary[3]] == ["景洪市人民法院", "已退回", datetime(2026, 11, 24, 9, 30), "jh2", "企业微信", "按时", "是"]


def test_the_member_sees_the_return_in_my_report(wecom, reported):
    wecom.say("admin1", "退回 景洪 缺少稿件链接")
    mine = Chat(wecom, "jh1").say("我的周报").splitlines()
    assert mine[2] == "该版已被中院办公室退回，原因：缺少稿件链接。请回复 修改 修改后重新提交。"
    assert Chat(wecom, "jh1").say("周报").splitlines() == mine  # said once, not again by 如需修改 at the end


def test_a_report_not_returned_ends_with_how_to_revise_it(wecom, reported):
    assert Chat(wecom, "jh1").say("我的周报").splitlines()[-1] == "如需修改，请回复 修改。"


def test_a_resubmission_clears_the_return_and_its_receipt_says_so(wecom, reported):
    wecom.say("admin1", "退回 景洪 缺少稿件链接")
    assert resubmit(Chat(wecom, "jh1")) == f"已重新提交（按时）：{WEEK}周报（景洪市人民法院），第 3 版。"
    assert "景洪市人民法院：已报送 11月24日（周二）09:30 按时 已修改" in wecom.say("admin1", "状态")
    assert "【已退回】" not in wecom.say("admin1", "查询 景洪")
    assert "已退回" not in Chat(wecom, "jh1").say("我的周报")
    assert wecom.say("admin1", "退回 景洪 仍缺少稿件链接").startswith("已退回 景洪市人民法院")  # the new version may be sent back again


@pytest.mark.parametrize(
    ("resubmitted", "receipt", "status"),
    [
        (shanghai(2026, 11, 30, 14, 59), "按时", "按时 已修改"),  # within one workday of Friday 15:00: Monday 15:00
        (shanghai(2026, 11, 30, 15, 1), "截止后修改", "按时 截止后修改"),  # past it: a revision after the deadline, as usual
    ],
)
def test_a_report_sent_on_time_and_resubmitted_within_one_workday_of_the_return_stays_on_time(
    wecom, reported, clock, messenger, resubmitted, receipt, status
):
    clock.set(shanghai(2026, 11, 27, 15, 0))  # Friday, after the 12:00 deadline
    wecom.say("admin1", "退回 景洪 缺少稿件链接")
    assert "修改后于11月30日（周一）15:00前重新提交，仍计为按时" in group_text(messenger)
    clock.set(resubmitted)
    jh1 = Chat(wecom, "jh1")
    assert "上周第48周（11月23日—29日）周报已被中院办公室退回，请回复 修改 上周" in jh1.say("周报")
    jh1.say("取消")
    jh1.say("是")
    assert "已被中院办公室退回" in jh1.say("修改 上周")
    assert jh1.say("确认") == f"已重新提交（{receipt}）：{WEEK}周报（景洪市人民法院），第 3 版。"
    assert f"景洪市人民法院：已报送 11月24日（周二）09:30 {status}" in wecom.say("admin1", "状态 上周")


def test_a_late_report_returned_and_resubmitted_stays_late(wecom, bot, clock, messenger):
    add_report(bot, "jinghong", "2026-W48", shanghai(2026, 11, 27, 13))
    clock.set(shanghai(2026, 11, 27, 14))
    wecom.say("admin1", "退回 景洪 缺少稿件链接")
    assert "修改后尽快重新提交" in group_text(messenger)
    assert resubmit(Chat(wecom, "jh1")) == f"已重新提交（逾期）：{WEEK}周报（景洪市人民法院），第 2 版。"


def test_a_return_before_the_deadline_leaves_the_deadline_in_force(wecom, reported, clock, messenger):
    clock.set(shanghai(2026, 11, 24, 12))  # Tuesday: a workday later is still before Friday 12:00
    wecom.say("admin1", "退回 景洪 缺少稿件链接")
    assert "修改后于11月27日（周五）12:00前重新提交" in group_text(messenger)


@pytest.mark.parametrize(
    ("text", "reply"),
    [
        ("退回", "请写单位和退回原因，如：退回 景洪 稿件链接无法打开（退回上周的：退回 景洪 上周 原因）"),
        ("退回 景洪", "请写明退回原因，如：退回 景洪 稿件链接无法打开"),
        ("退回 景洪 上周", "请写明退回原因，如：退回 景洪 稿件链接无法打开"),
        ("退回 勐腊 缺少稿件链接", f"勐腊县人民法院 {WEEK} 尚未提交周报，无可退回。"),
        ("退回 景洪 上周 缺少稿件链接", "景洪市人民法院 第47周（11月16日—22日） 尚未提交周报，无可退回。"),
        ("退回 景洪 第45周 缺少稿件链接", "只能退回本周或上周的周报：单位只能修改这两周的周报。"),
        ("退回 昆明 缺少稿件链接", "没有找到单位“昆明”。请发送单位全称或其中几个字，如“景洪”。"),
        ("退回 景洪 " + "长" * 201, "退回原因请在 200 字以内。"),
    ],
)
def test_a_return_without_a_report_or_a_reason_gets_a_clear_usage(wecom, reported, messenger, text, reply):
    assert wecom.say("admin1", text) == reply
    assert messenger.sent == []


def test_a_report_already_returned_is_not_returned_twice(wecom, reported, messenger):
    wecom.say("admin1", "退回 景洪 缺少稿件链接")
    assert wecom.say("admin1", "退回 景洪 另一原因") == f"景洪市人民法院 {WEEK} 周报已于 11月26日（周四）10:05 退回，尚未重新提交。"
    assert len(messenger.sent) == 2  # the group and the submitter, once
