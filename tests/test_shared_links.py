"""Articles shared from WeChat (WeCom link messages): offered to this week's report outside a form, kept in a draft at any step."""

from __future__ import annotations

from handlers.texts import SHARED_NO_UNIT
from storage.models import Article, Conversation, ReportRevision
from tests.support.chat import TYPED_ANSWERS, Chat, draft, fill_until_summary, stored

TITLE, LINK = "景洪法院集中清理涉民生案件", "https://mp.weixin.qq.com/s/shared1"
OFFER = f"收到稿件「{TITLE}」，要加入本周周报吗？回复 是 加入。"
KEPT = f"已加入稿件：{TITLE}（类型待选），填到「稿件」时确认类型。"


def test_a_link_outside_a_form_is_offered_and_yes_opens_this_weeks_report_with_it(jh1, bot):
    assert jh1.share(TITLE, LINK) == OFFER
    opened = jh1.say("是")
    assert "开始填写 第48周（11月23日—29日）周报（景洪市人民法院）" in opened and KEPT in opened and "（1/8）" in opened
    at_articles = jh1.say_all(*TYPED_ANSWERS, "跳过")
    assert f"1. {TITLE}（类型待选）" in at_articles and "第 1 篇 · 请回复稿件类型" in at_articles
    assert "根据链接，建议：微信公众号，回复 是 采用。" in at_articles
    assert jh1.say("是").startswith("已记录第 1 篇。")
    jh1.say_all("完成", "李华", "13800138000", "确认")
    assert [(a.title, a.url, a.channel) for a in stored(bot, Article)] == [(TITLE, LINK, "微信公众号")]


def test_anything_but_yes_drops_the_offer_and_is_handled_as_usual(jh1, bot):
    jh1.share(TITLE, LINK)
    assert "尚未提交周报" in jh1.say("我的周报")  # the command runs
    assert "未能识别该指令" in jh1.say("是")  # the offer is gone
    jh1.share(TITLE, LINK)
    assert "（1/8）" in jh1.say("周报")  # a plain 周报: no article
    assert draft(bot, form="weekly")["answers"] == {}
    assert [row.form for row in stored(bot, Conversation)] == ["weekly"]


def test_yes_on_a_week_already_sent_opens_its_revision_at_the_new_articles_type(jh1, bot):
    fill_until_summary(jh1)
    jh1.say("确认")
    jh1.share("第二篇：勐海法院执行直播", "https://weibo.com/123")
    asked = jh1.say("是")
    assert "（6/8）稿件：已录入 2 篇。" in asked and "2. 第二篇：勐海法院执行直播（类型待选）" in asked
    assert "建议：微博" in asked
    jh1.say("是")
    summary = jh1.say("完成")
    assert "该周已提交第 1 版" in summary and "2) 第二篇：勐海法院执行直播（微博）" in summary
    assert "第 2 版" in jh1.say("确认")
    assert [(a.revision_id, a.channel) for a in stored(bot, Article)] == [(1, "微信公众号"), (2, "微信公众号"), (2, "微博")]


def test_a_link_while_the_draft_is_at_another_step_joins_the_articles_and_waits_for_its_type(jh1, bot):
    jh1.say("周报")
    jh1.say(TYPED_ANSWERS[0])
    assert jh1.share(TITLE, LINK) == f"{KEPT}\n（2/8）请填写「宣传举措」，例如：联合州电视台开展执行直播。"
    assert draft(bot)["step"] == 1 and draft(bot)["answers"]["articles"] == [{"title": TITLE, "url": LINK}]
    jh1.say_all(*TYPED_ANSWERS[1:], "跳过")
    refused = jh1.say("完成")
    assert refused.startswith("第 1 篇还缺类型，请先回复类型；不要这一篇请回复 删除 1。")
    assert "请回复 1–10" in jh1.say("另一篇稿件的标题")  # an answer at the list is the waiting article's type
    assert "已删除第 1 篇" in jh1.say("删除 1")
    assert "（7/8）" in jh1.say("完成")


def test_a_link_after_the_articles_asks_its_type_before_the_summary(jh1, bot):
    jh1.say("周报")
    jh1.say_all(*TYPED_ANSWERS, "跳过", "完成", "李华")
    assert jh1.share(TITLE, LINK).startswith(KEPT)
    asked = jh1.say("13800138000")
    assert "（6/8）稿件" in asked and "第 1 篇 · 请回复稿件类型" in asked
    jh1.say("5")
    summary = jh1.say("完成")
    assert "请核对" in summary and f"1) {TITLE}（微信公众号）" in summary


def test_a_link_at_the_summary_asks_its_type_and_returns_there(jh1, bot):
    fill_until_summary(jh1)
    asked = jh1.share(TITLE, LINK)
    assert "2. 景洪法院集中清理涉民生案件（类型待选）" in asked and "第 2 篇 · 请回复稿件类型" in asked
    jh1.say("是")
    assert "请核对" in jh1.say("完成")
    jh1.say("确认")
    assert [a.url for a in stored(bot, Article)] == ["https://mp.weixin.qq.com/s/abc123", LINK]


def test_a_link_while_only_a_notice_draft_is_open_is_offered_to_the_weekly_report(jh1, bot):
    jh1.say("预告")
    assert jh1.share(TITLE, LINK) == OFFER
    opened = jh1.say("是")
    assert KEPT in opened and "（1/8）" in opened
    assert {row.form for row in stored(bot, Conversation)} == {"weekly", "notice"}


def test_an_admin_without_a_unit_is_told_links_are_for_the_courts_reporters(wecom, bot):
    assert Chat(wecom, "admin1").share(TITLE, LINK) == SHARED_NO_UNIT
    assert stored(bot, Conversation) == [] and stored(bot, ReportRevision) == []


def test_a_link_while_the_draft_asks_continue_or_restart_goes_on_with_the_draft(jh1, bot):
    jh1.say("周报")
    jh1.say(TYPED_ANSWERS[0])
    assert "回复 重来" in jh1.say("周报")
    assert jh1.share(TITLE, LINK).startswith(f"{KEPT}\n（2/8）")
    assert draft(bot)["answers"]["summary"] == TYPED_ANSWERS[0]


def test_a_link_while_a_conflict_is_asked_is_kept_and_the_conflict_asked_again_at_confirm(wecom, bot):
    jh1, jh2 = Chat(wecom, "jh1"), Chat(wecom, "jh2")
    fill_until_summary(jh1)
    jh1.say("确认")
    jh1.say("修改")
    jh2.say_all("修改", "修改 7", "王芳", "确认")
    assert "已由 jh2" in jh1.say("确认")
    assert "第 2 篇 · 请回复稿件类型" in jh1.share(TITLE, LINK)
    jh1.say_all("是", "完成")
    assert "已由 jh2" in jh1.say("确认")
    jh1.say("合并")
    assert [(a.revision_id, a.url) for a in stored(bot, Article)][-2:] == [(3, "https://mp.weixin.qq.com/s/abc123"), (3, LINK)]
    assert stored(bot, ReportRevision)[-1].contact == "王芳"


def test_a_repaired_draft_at_the_summary_with_a_waiting_link_asks_its_type_at_confirm(jh1, bot, clock):
    from storage.conversations import save_conversation
    from storage.engine import session_scope

    fill_until_summary(jh1)
    state = draft(bot)
    state["answers"]["articles"].append({"title": TITLE, "url": LINK})
    with session_scope(bot.engine) as session:
        save_conversation(session=session, user_id="jh1", form="weekly", state=state, now=clock())
    assert "第 2 篇 · 请回复稿件类型" in jh1.say("确认")
