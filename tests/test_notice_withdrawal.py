"""`撤回预告 N` asks first, and the office's push of a modified notice shows what changed; through the webhook."""

from __future__ import annotations

from sqlmodel import Session, select

from storage.models import Notice, NoticeRevision
from tests.support.chat import MEDIA, THEME, notify

ASK = f"确认撤回 12月3日（周四）09:30 的「{THEME}」吗？可附撤回原因，如：确认 活动延期。回复 取消 不撤回。"


def stored(bot) -> tuple[Notice, list[NoticeRevision]]:
    with Session(bot.engine) as session:
        notice = session.exec(select(Notice)).one()
        return notice, list(session.exec(select(NoticeRevision).order_by(NoticeRevision.id)))


def office_texts(messenger) -> list[str]:
    return [s.text for s in messenger.sent if s.target == "office"]


def test_withdraw_asks_first_and_pushes_nothing_until_confirmed(jh1, bot, messenger):
    notify(jh1, "12月3日 9:30")
    assert jh1.say("撤回预告 1") == ASK
    assert stored(bot)[0].withdrawn is False and len(office_texts(messenger)) == 1
    assert jh1.say("确认").startswith("已撤回预告")
    notice, revisions = stored(bot)
    assert notice.withdrawn and "reason" not in revisions[-1].snapshot
    assert office_texts(messenger)[-1].startswith("【重点执行活动预告】（已撤回）\n报送单位：")


def test_withdraw_with_a_reason_tells_the_office_why(jh1, bot, messenger):
    notify(jh1, "12月3日 9:30")
    jh1.say("撤回预告 1")
    assert "已撤回预告" in jh1.say("确认 活动延期")
    assert stored(bot)[1][-1].snapshot["reason"] == "活动延期"
    assert office_texts(messenger)[-1].startswith("【重点执行活动预告】（已撤回）\n撤回原因：活动延期\n报送单位：")


def test_anything_but_confirm_keeps_the_notice(jh1, bot, messenger):
    notify(jh1, "12月3日 9:30")
    jh1.say("撤回预告 1")
    assert jh1.say("取消") == f"未撤回，预告「{THEME}」保留不变。"
    jh1.say("撤回预告 1")
    assert "未撤回" in jh1.say("算了")
    assert stored(bot)[0].withdrawn is False and len(office_texts(messenger)) == 1
    assert "1. 12月3日（周四）09:30" in jh1.say("我的预告")


def test_a_modified_notices_push_shows_the_old_value_of_each_change(jh1, messenger):
    notify(jh1, "12月3日 9:30")
    jh1.say_all("修改预告 1", "修改 2", "12月3日 15:00", "修改 4", "西双版纳报")
    assert "已报送预告" in jh1.say("确认")
    lines = office_texts(messenger)[-1].splitlines()
    assert lines[0] == "【重点执行活动预告】（已修改）"
    assert "宣传时间：12月3日（周四）15:00（原 12月3日（周四）09:30）" in lines
    assert f"媒体参与：西双版纳报（原 {MEDIA}）" in lines
    assert f"宣传主题：{THEME}" in lines


def test_another_command_while_asked_runs_and_continue_asks_again(jh1, bot):
    notify(jh1, "12月3日 9:30")
    jh1.say("撤回预告 1")
    assert "1. 12月3日（周四）09:30" in jh1.say("我的预告")
    assert jh1.say("继续") == ASK
    assert jh1.say("确认 " + "延" * 201).startswith("撤回原因请在 200 字以内。确认撤回")
    assert stored(bot)[0].withdrawn is False
    assert "已撤回预告" in jh1.say("确认撤回：活动延期")
    assert stored(bot)[1][-1].snapshot["reason"] == "活动延期"


def test_a_weekly_draft_is_never_replaced_by_the_question(jh1, bot):
    notify(jh1, "12月3日 9:30")
    jh1.say_all("周报", "本周开展集中执行行动 2 次")
    assert "另有周报草稿已保留" in jh1.say("撤回预告 1")
    assert "未撤回" in jh1.say("取消")
    assert "（2/8）" in jh1.say("继续")
    assert stored(bot)[0].withdrawn is False
