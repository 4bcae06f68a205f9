"""Drafts against the world moving on: two members at once, a member moved away, rules that lapse before confirm."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from storage.models import Notice, Report, ReportRevision
from tests.support.chat import LIAISON, MEDIA, THEME, Chat, notify
from tests.support.config import shanghai

REPORT = ("简介", "举措", "做法", "效果")
WHEN = "12月3日 9:30"


@pytest.fixture
def jh2(wecom):
    return Chat(wecom, "jh2")


def fill_report(chat: Chat, *answers: str) -> str:
    """A whole new weekly report up to its summary."""
    chat.say("周报")
    chat.say_all(*(answers or REPORT))
    chat.say_all("跳过", "完成", "李华")
    return chat.say("13800138000")


def revisions(bot, week: str = "2026-W48") -> list[ReportRevision]:
    with Session(bot.engine) as session:
        statement = select(ReportRevision).join(Report).where(Report.week == week).order_by(ReportRevision.number)
        return list(session.exec(statement).all())


def notices(bot) -> list[Notice]:
    with Session(bot.engine) as session:
        return list(session.exec(select(Notice).order_by(Notice.id)).all())


def both_edit_the_report(jh1: Chat, jh2: Chat) -> str:
    """jh1 and jh2 open version 1; jh1 changes 基本简介 and confirms; jh2 changes 宣传效果 and confirms."""
    fill_report(jh1)
    jh1.say("确认")
    jh1.say("修改")
    jh2.say("修改")
    jh1.say_all("修改 1", "甲改的简介")
    assert "第 2 版" in jh1.say("确认")
    jh2.say_all("修改 4", "乙改的效果")
    return jh2.say("确认")


def test_a_stale_confirm_shows_who_changed_what_and_merge_keeps_both(jh1, jh2, bot):
    reply = both_edit_the_report(jh1, jh2)
    assert "已由 jh1" in reply and "第 2 版" in reply
    assert "对方改动了：本周执行宣传工作基本简介；您改动了：宣传效果" in reply
    assert len(revisions(bot)) == 2  # nothing stored yet
    assert "第 3 版" in jh2.say("合并")
    current = revisions(bot)[-1]
    assert (current.summary, current.effects, current.submitted_by) == ("甲改的简介", "乙改的效果", "jh2")


def test_overwrite_takes_this_members_version_and_discard_keeps_the_other(jh1, jh2, bot):
    both_edit_the_report(jh1, jh2)
    assert "第 3 版" in jh2.say("覆盖")
    assert (revisions(bot)[-1].summary, revisions(bot)[-1].effects) == ("简介", "乙改的效果")
    jh2.say("修改")
    jh1.say("修改")
    jh2.say_all("修改 2", "乙的举措", "确认")
    jh1.say_all("修改 3", "甲的做法")
    assert "放弃" in jh1.say("确认")
    assert "已放弃" in jh1.say("放弃")
    assert len(revisions(bot)) == 4 and revisions(bot)[-1].practices == "做法"


def test_an_unclear_answer_to_a_conflict_repeats_the_choice(jh1, jh2, bot):
    question = both_edit_the_report(jh1, jh2)
    assert jh2.say("好的") == question
    assert len(revisions(bot)) == 2


def test_two_new_reports_at_once_do_not_silently_replace_each_other(jh1, jh2, bot):
    fill_report(jh1, "甲简介", "甲举措", "甲做法", "甲效果")
    fill_report(jh2, "乙简介", "乙举措", "乙做法", "乙效果")
    assert "第 1 版" in jh1.say("确认")
    assert "已由 jh1" in jh2.say("确认")
    assert len(revisions(bot)) == 1 and revisions(bot)[0].summary == "甲简介"


def test_two_members_modifying_one_notice_merge_their_changes(jh1, jh2, bot, messenger):
    notify(jh1, WHEN)
    jh1.say("修改预告 1")
    jh2.say("修改预告 1")
    jh1.say_all("修改 1", "新主题", "确认")
    jh2.say_all("修改 4", "州电视台、西双版纳报")
    conflict = jh2.say("确认")
    assert "对方改动了：宣传主题；您改动了：媒体参与" in conflict
    assert "已报送预告" in jh2.say("合并")
    [notice] = notices(bot)
    assert (notice.theme, notice.media) == ("新主题", "州电视台、西双版纳报")


def test_a_member_moved_to_another_unit_cannot_finish_the_old_units_report(wecom, bot):
    admin, temp = Chat(wecom, "admin1"), Chat(wecom, "temp")
    admin.say("添加成员 temp 景洪")
    temp.say("周报")
    temp.say_all(*REPORT)
    admin.say("添加成员 temp 勐腊")
    reply = temp.say("跳过")
    assert "您已不是景洪市人民法院的成员" in reply and "草稿已关闭" in reply
    fresh = temp.say("周报")
    assert "（1/8）" in fresh and "勐腊县人民法院" in fresh  # a new draft, for the unit temp now belongs to
    assert revisions(bot) == []


def test_a_member_moved_away_cannot_confirm_the_old_units_notice(wecom, bot, messenger):
    admin, temp = Chat(wecom, "admin1"), Chat(wecom, "temp")
    admin.say("添加成员 temp 景洪")
    notify(temp, WHEN)
    temp.say_all("修改预告 1", "修改 1", "改过的主题")
    admin.say("添加成员 temp 勐腊")
    messenger.sent.clear()
    assert "草稿已关闭" in temp.say("确认")
    assert notices(bot)[0].theme == THEME and messenger.sent == []


def test_a_member_moved_away_cannot_withdraw_the_old_units_notice(wecom, bot, messenger):
    admin, temp = Chat(wecom, "admin1"), Chat(wecom, "temp")
    admin.say("添加成员 temp 景洪")
    notify(temp, WHEN)
    assert "确认撤回" in temp.say("撤回预告 1")
    admin.say("添加成员 temp 勐腊")
    messenger.sent.clear()
    assert "未撤回" in temp.say("确认 活动延期")
    assert notices(bot)[0].withdrawn is False and messenger.sent == []


def test_a_notice_confirmed_after_its_event_is_refused_and_can_be_corrected(jh1, bot, clock):
    jh1.say("预告")
    jh1.say_all(THEME, "明天 9点", "1", MEDIA, LIAISON, "跳过")
    clock.set(shanghai(2026, 11, 27, 10, 0))
    reply = jh1.say("确认")
    assert "已经过去" in reply and "修改 2" in reply and notices(bot) == []
    jh1.say_all("修改 2", "12月3日 9:30")
    assert "已报送预告" in jh1.say("确认")
    assert notices(bot)[0].event_at == shanghai(2026, 12, 3, 9, 30)


def test_a_notice_withdrawn_while_another_member_modifies_it_is_not_pushed_as_modified(jh1, jh2, bot, messenger):
    notify(jh1, WHEN)
    jh1.say_all("修改预告 1", "修改 1", "改过的主题")
    assert "已撤回预告" in jh2.say_all("撤回预告 1", "确认")
    messenger.sent.clear()
    reply = jh1.say("确认")
    assert "已被 jh2 撤回" in reply and messenger.sent == []
    assert "已报送预告" in jh1.say("确认")  # the member still wants it: a new notice
    assert [(n.theme, n.withdrawn) for n in notices(bot)] == [(THEME, True), ("改过的主题", False)]
    assert not any("（已修改）" in s.text for s in messenger.sent)


def test_last_weeks_draft_confirmed_weeks_later_moves_to_this_week(jh1, bot, clock):
    jh1.say("周报 上周")
    jh1.say_all(*REPORT, "跳过", "完成", "李华", "13800138000")
    clock.set(shanghai(2026, 12, 16, 10, 0))  # 2026-W51
    reply = jh1.say("确认")
    assert "第47周" in reply and "第51周" in reply and "确认" in reply
    assert "第 1 版" in jh1.say("确认")
    assert revisions(bot, "2026-W47") == [] and [r.summary for r in revisions(bot, "2026-W51")] == ["简介"]
