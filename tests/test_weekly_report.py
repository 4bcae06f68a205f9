"""The 周报 conversation, driven through the encrypted webhook with a fake clock."""

from __future__ import annotations

import pytest

from bot.runtime import build_bot, run_inline
from storage.models import Article, Report, ReportRevision
from tests.support.chat import ARTICLE, TYPED_ANSWERS, Chat, draft, fill_until_summary, stored
from tests.support.config import shanghai
from tests.support.wecom_sim import wecom_for


def test_happy_path_stores_the_report_with_its_article(jh1, bot):
    summary = fill_until_summary(jh1)
    assert "请核对 第48周（11月23日—29日）周报（景洪市人民法院）" in summary
    assert "6. 稿件：1 篇" in summary and "微信公众号" in summary and "8. 联系电话：13800138000" in summary
    assert "日期：提交时自动填写（2026-11-25）" in summary
    assert jh1.say("确认") == "已提交（按时）：第48周（11月23日—29日）周报（景洪市人民法院），第 1 版。"
    [report] = stored(bot, Report)
    [revision] = stored(bot, ReportRevision)
    assert (report.unit_id, report.week, report.on_time) == ("jinghong", "2026-W48", True)
    assert (revision.summary, revision.effects, revision.other, revision.contact) == (TYPED_ANSWERS[0], TYPED_ANSWERS[3], "", "李华")
    assert revision.report_date.isoformat() == "2026-11-25" and revision.submitted_by == "jh1"
    assert [(a.title, a.url, a.channel) for a in stored(bot, Article)] == [(ARTICLE[1], ARTICLE[2], "微信公众号")]
    assert draft(bot) is None


def test_help_inside_the_form_explains_and_keeps_it_open(jh1, bot):
    jh1.say("周报")
    reply = jh1.say("帮助")
    assert "正在填写" in reply and "上一步" in reply and "（1/8）" in reply
    assert "（2/8）" in jh1.say(TYPED_ANSWERS[0])


def test_every_answer_is_saved_as_it_is_accepted(jh1, bot):
    jh1.say("周报")
    jh1.say(TYPED_ANSWERS[0])
    assert draft(bot)["answers"] == {"summary": TYPED_ANSWERS[0]} and draft(bot)["step"] == 1


@pytest.mark.parametrize(
    ("answers", "bad", "reason"),
    [
        ((), "   ", "不能为空"),
        ((), "字" * 2001, "2000 字以内"),
        ((*TYPED_ANSWERS, "跳过", *ARTICLE[:2]), "ftp://example.com/x", "链接格式不对"),
        ((*TYPED_ANSWERS, "跳过", *ARTICLE[:2]), "https://localhost/a", "域名不完整"),
        ((*TYPED_ANSWERS, "跳过"), "11", "1–10"),
        ((*TYPED_ANSWERS, "跳过", "完成", "李华"), "12345", "电话格式不对"),
        ((*TYPED_ANSWERS, "跳过", "完成", "李华"), "691-2123456", "电话格式不对"),
    ],
)
def test_invalid_answers_are_re_asked_with_the_reason_and_the_draft_is_untouched(jh1, bot, answers, bad, reason):
    jh1.say("周报")
    jh1.say_all(*answers) if answers else None
    before = draft(bot)
    reply = jh1.say(bad)
    assert reason in reply and "例如" in reply
    assert draft(bot) == before


@pytest.mark.parametrize(("typed", "stored_as"), [("0691-2123456", "0691-2123456"), ("0691 2123456", "0691-2123456"), ("+86 138 0013 8000", "13800138000"),
                                                  ("１３８００１３８０００", "13800138000")])
def test_phone_numbers_are_normalised(jh1, bot, typed, stored_as):
    fill_until_summary(jh1, phone=typed)
    jh1.say("确认")
    assert stored(bot, ReportRevision)[0].phone == stored_as


def test_skip_is_refused_on_a_required_field_and_accepted_on_an_optional_one(jh1, bot):
    jh1.say("周报")
    assert "「本周执行宣传工作基本简介」是必填项" in jh1.say("跳过")
    jh1.say_all(*TYPED_ANSWERS)
    assert "稿件" in jh1.say("跳过")
    assert draft(bot)["answers"]["other"] == ""
    assert "联系人" in jh1.say("跳过")  # no articles this week: the list is optional


def test_back_shows_the_earlier_answer_and_keep_leaves_it(jh1, bot):
    jh1.say("周报")
    jh1.say_all(*TYPED_ANSWERS[:2])
    reply = jh1.say("上一步")
    assert "（2/8）" in reply and f"当前：{TYPED_ANSWERS[1]}" in reply
    assert "（3/8）" in jh1.say("保留")
    jh1.say("上一步")
    jh1.say("改过的举措")
    assert draft(bot)["answers"]["measures"] == "改过的举措"
    jh1.say_all("上一步", "上一步", "上一步")
    assert "已经是第一项了" in jh1.say("上一步")


def test_back_inside_an_article_returns_to_its_title(jh1, bot):
    jh1.say("周报")
    jh1.say_all(*TYPED_ANSWERS, "跳过", *ARTICLE[:2])
    assert "稿件标题" in jh1.say("上一步")
    assert "稿件类型" in jh1.say("上一步")
    jh1.say_all("1", "新标题", "完成", "李华", "13800138000")
    jh1.say("确认")
    assert [(a.title, a.channel, a.url) for a in stored(bot, Article)] == [("新标题", "电视专题", "")]


def test_edit_n_from_the_summary_re_asks_then_returns_to_the_summary(jh1, bot):
    fill_until_summary(jh1)
    assert "（4/8）" in jh1.say("修改 4")
    summary = jh1.say("观看 5 万人次")
    assert "4. 宣传效果：观看 5 万人次" in summary and "请核对" in summary
    assert "修改 1–8" in jh1.say("修改 9")
    listed = jh1.say("修改6")
    assert "1. 景洪法院集中清理涉民生案件（微信公众号）" in listed and "删除 N" in listed
    jh1.say_all("7", "第二篇稿件", "https://www.ynfy.gov.cn/a")
    assert "请核对" in jh1.say("完成")
    jh1.say("确认")
    assert [a.title for a in stored(bot, Article)] == [ARTICLE[1], "第二篇稿件"]
    assert stored(bot, ReportRevision)[0].effects == "观看 5 万人次"


def test_cancel_asks_first_and_keeps_the_draft_on_no(jh1, bot):
    jh1.say("周报")
    jh1.say(TYPED_ANSWERS[0])
    assert "确定放弃" in jh1.say("取消")
    reply = jh1.say("否")
    assert "继续填写" in reply and "（2/8）" in reply
    assert draft(bot)["answers"] == {"summary": TYPED_ANSWERS[0]}
    jh1.say("取消")
    assert "已取消" in jh1.say("是")
    assert draft(bot) is None and stored(bot, Report) == []


def test_weekly_keyword_with_a_draft_offers_continue_or_restart(jh1, bot):
    jh1.say("周报")
    jh1.say_all(*TYPED_ANSWERS[:2])
    offer = jh1.say("周报")
    assert "未完成" in offer and "3/8" in offer and "继续" in offer and "重来" in offer
    assert "（3/8）" in jh1.say("继续")
    jh1.say("周报")
    assert "（1/8）" in jh1.say("重来")
    assert draft(bot)["answers"] == {}


def test_restart_after_weekly_last_week_switches_the_week(jh1, bot):
    jh1.say("周报")
    jh1.say("周报 上周")
    assert "第47周（11月16日—22日）" in jh1.say("重来")
    assert draft(bot)["meta"]["week"] == "2026-W47"


def test_resume_after_a_new_app_instance_on_the_same_database(jh1, config, messenger, clock):
    jh1.say("周报")
    jh1.say_all(*TYPED_ANSWERS[:3])
    restarted = build_bot(config, messenger=messenger, clock=clock, background=run_inline)
    fresh = Chat(wecom_for(restarted), "jh1")
    assert "（4/8）" in fresh.say("继续")
    assert "（5/8）" in fresh.say(TYPED_ANSWERS[3])


def test_a_crash_while_storing_keeps_the_draft(jh1, bot, monkeypatch):
    fill_until_summary(jh1)
    import handlers.weekly_report as weekly

    monkeypatch.setattr(weekly, "save_report", lambda **kwargs: 1 / 0)
    assert "系统出错" in jh1.say("确认")
    assert draft(bot)["mode"] == "summary"
    monkeypatch.undo()
    assert "已提交（按时）" in jh1.say("确认")


def test_two_members_one_current_report_two_revisions(wecom, bot):
    fill_until_summary(Chat(wecom, "jh1"))
    Chat(wecom, "jh1").say("确认")
    jh2 = Chat(wecom, "jh2")
    looked = jh2.say("周报")
    assert "已提交（按时），第 1 版，jh1 于" in looked and looked.endswith("如需修改，请回复 修改。")
    assert stored(bot, ReportRevision)[0].number == 1 and draft(bot, "jh2") is None
    summary = jh2.say("修改")
    assert "已提交第 1 版" in summary and "1. 本周执行宣传工作基本简介：本周开展集中执行行动 2 次" in summary
    jh2.say_all("修改 7", "王芳")
    assert "第 2 版" in jh2.say("确认")
    [report] = stored(bot, Report)
    revisions = stored(bot, ReportRevision)
    assert report.current_revision == 2
    assert [(r.number, r.submitted_by, r.contact) for r in revisions] == [(1, "jh1", "李华"), (2, "jh2", "王芳")]


def test_a_re_confirm_without_a_change_stores_nothing_and_the_unit_is_not_revised(jh1, wecom, bot):
    fill_until_summary(jh1)
    jh1.say("确认")
    assert jh1.say("周报").endswith("如需修改，请回复 修改。") and draft(bot) is None  # looking opens no draft
    jh1.say_all("修改", "修改 1", "改过的简介", "修改 1", TYPED_ANSWERS[0])  # changed, then changed back
    assert jh1.say("确认") == "内容没有改动，周报仍为第 1 版，未生成新版本。"
    assert [r.number for r in stored(bot, ReportRevision)] == [1] and draft(bot) is None
    assert "景洪市人民法院：已报送 11月25日（周三）10:00 按时\n" in wecom.say("admin1", "状态")


@pytest.mark.parametrize("typed", ["周报 第47周", "周报 2026-W47", "周报 上周", "周报第47周"])
def test_last_week_is_named_as_the_bot_names_it(jh1, bot, typed):
    assert "开始填写 第47周（11月16日—22日）周报" in jh1.say(typed)
    assert draft(bot)["meta"]["week"] == "2026-W47"


def test_an_answer_to_the_continue_or_restart_question_is_not_swallowed(jh1, bot):
    jh1.say_all("周报", TYPED_ANSWERS[0], "周报")
    again = jh1.say(TYPED_ANSWERS[1])  # asked again, not taken as an answer, and saying so
    assert again.startswith("本条内容未录入。") and "回复 继续 接着填，回复 重来 重新开始" in again
    assert draft(bot)["answers"] == {"summary": TYPED_ANSWERS[0]}
    assert "（2/8）" in jh1.say("继续")


def test_contact_and_phone_offer_the_units_previous_answer(wecom, bot):
    jh1 = Chat(wecom, "jh1")
    fill_until_summary(jh1)
    jh1.say("确认")
    jh2 = Chat(wecom, "jh2")
    jh2.say("周报 上周")
    jh2.say_all(*TYPED_ANSWERS, "跳过", "完成")
    assert "回复 1 沿用：13800138000" in jh2.say("1")
    summary = jh2.say("1")
    assert "7. 联系人：李华" in summary and "8. 联系电话：13800138000" in summary


def test_late_submission_says_so(jh1, bot, clock):
    clock.set(shanghai(2026, 11, 27, 12, 1))
    fill_until_summary(jh1)
    receipt = jh1.say("确认")
    assert receipt.startswith("已提交（逾期）") and "11月27日（周五）12:00" in receipt
    assert stored(bot, Report)[0].on_time is False


def test_last_minute_submission_is_on_time(jh1, clock):
    clock.set(shanghai(2026, 11, 27, 11, 59))
    fill_until_summary(jh1)
    assert jh1.say("确认").startswith("已提交（按时）")


def test_last_weeks_report_filed_this_week_is_late(jh1, bot):
    jh1.say("周报 上周")
    jh1.say_all(*TYPED_ANSWERS, "跳过", "完成", "李华", "13800138000")
    assert jh1.say("确认").startswith("已提交（逾期）：第47周（11月16日—22日）")


def test_unknown_week_argument_is_explained(jh1):
    assert "本周或上周" in jh1.say("周报 下周")


def test_my_report_before_and_after_submitting(jh1):
    assert "尚未提交周报" in jh1.say("我的周报")
    fill_until_summary(jh1)
    jh1.say("确认")
    mine = jh1.say("我的周报")
    assert "已提交（按时），第 1 版" in mine and "7. 联系人：李华" in mine


def test_another_command_while_a_draft_is_open_runs_and_keeps_the_draft(jh1, bot):
    jh1.say("周报")
    jh1.say(TYPED_ANSWERS[0])
    reply = jh1.say("我的周报")
    assert "尚未提交周报" in reply and "周报草稿已保留" in reply
    assert "（2/8）" in jh1.say("继续")


META = {"meta": {"week": "2026-W48", "unit_id": "jinghong", "unit_name": "景洪市人民法院"}}


@pytest.mark.parametrize(
    "stored",
    [
        META | {"answers": {"summary": "旧版草稿的简介"}},  # a draft saved before the form had today's layout
        META | {"answers": {"summary": "旧版草稿的简介"}, "step": 42, "mode": "filling"},
        META | {"answers": {"summary": "旧版草稿的简介"}, "step": "3", "mode": "summary", "back_to": None},
        {"answers": {"summary": "旧版草稿的简介"}, "meta": None},
    ],
)
def test_a_draft_from_an_older_version_is_repaired_not_a_dead_end(jh1, bot, clock, stored):
    from storage.conversations import save_conversation
    from storage.engine import session_scope

    with session_scope(bot.engine) as session:
        save_conversation(session=session, user_id="jh1", form="weekly", state=stored, now=clock())
    reply = jh1.say("继续")
    assert "（2/8）" in reply
    jh1.say_all(*TYPED_ANSWERS[1:], "跳过", "完成", "李华", "13800138000")
    assert jh1.say("确认").startswith("已提交（按时）")
    assert stored_summary(bot) == "旧版草稿的简介"


def stored_summary(bot) -> str:
    return stored(bot, ReportRevision)[0].summary
