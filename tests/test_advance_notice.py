"""The 预告 conversation (附件2) and the 2-day rule, through the encrypted webhook with a fake clock."""

from __future__ import annotations

import io

import openpyxl
import pytest
from sqlmodel import Session, select

from common.messenger import SendError
from storage.models import Notice, NoticeRevision, OutboxMessage
from tests.support.chat import LIAISON, MEDIA, THEME, Chat, draft, notify
from tests.support.config import shanghai
from tests.support.wecom_sim import wecom_for


def notices(bot) -> list[Notice]:
    with Session(bot.engine) as session:
        return session.exec(select(Notice).order_by(Notice.id)).all()


def office_pushes(messenger) -> list[str]:
    """The groups told, in no order: groups are sent to at once."""
    return sorted(s.target for s in messenger.sent if s.kind == "group")


def test_five_days_ahead_meets_the_rule_and_the_office_and_bureau_are_told(jh1, bot, messenger):
    receipt = notify(jh1, "11月30日 9:30")
    assert receipt == f"已报送预告：{THEME}，11月30日（周一）09:30，提前 5 天，符合要求。已通知中院办公室。"
    [notice] = notices(bot)
    assert (notice.lead_days, notice.meets_rule, notice.channels) == (5, True, ["电视专题", "短消息/新闻"])
    assert notice.event_at == shanghai(2026, 11, 30, 9, 30) and notice.unit_id == "jinghong"
    assert office_pushes(messenger) == ["enforcement", "office"]
    [text] = [s.text for s in messenger.sent if s.target == "office"]
    for part in ("景洪市人民法院", THEME, "11月30日（周一）09:30", "电视专题、短消息/新闻", MEDIA, LIAISON, "符合提前2天要求"):
        assert part in text


def test_one_day_ahead_is_accepted_flagged_and_the_office_told_at_once(jh1, bot, messenger):
    receipt = notify(jh1, "明天 14:00")
    assert "提前不足2天" in receipt and "已同时告知中院办公室" in receipt
    [notice] = notices(bot)
    assert (notice.lead_days, notice.meets_rule) == (1, False)
    assert all("⚠提前不足2天（仅提前 1 天）" in s.text for s in messenger.sent) and len(messenger.sent) == 2


def test_exactly_two_days_meets_the_rule(jh1, bot):
    notify(jh1, "后天 上午")
    [notice] = notices(bot)
    assert notice.meets_rule and (notice.event_at, notice.event_part) == (shanghai(2026, 11, 27), "上午")


def test_advance_days_comes_from_config(wecom, config, messenger, clock, tmp_path):
    from dataclasses import replace

    from bot.runtime import build_bot, run_inline

    strict = replace(config, schedule=replace(config.schedule, advance_days=3))
    bot = build_bot(strict, messenger=messenger, clock=clock, background=run_inline)
    chat = Chat(wecom_for(bot), "jh1")
    assert "提前不足3天" in notify(chat, "后天 上午")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026-12-01 09:30", shanghai(2026, 12, 1, 9, 30)),
        ("12月1日 上午9:30", shanghai(2026, 12, 1, 9, 30)),
        ("明天 14:00", shanghai(2026, 11, 26, 14, 0)),
        ("下周三 9点", shanghai(2026, 12, 2, 9, 0)),
        ("下周三 下午两点半", shanghai(2026, 12, 2, 14, 30)),
        ("２０２６年１２月３日 １５：００", shanghai(2026, 12, 3, 15, 0)),
        ("12.3 9:00", shanghai(2026, 12, 3, 9, 0)),
        ("12/3 15:00", shanghai(2026, 12, 3, 15, 0)),
        ("12-03 9:00", shanghai(2026, 12, 3, 9, 0)),
        ("明早9点", shanghai(2026, 11, 26, 9, 0)),
        ("３号 ９：３０", shanghai(2026, 12, 3, 9, 30)),
        ("十二月三日上午九点", shanghai(2026, 12, 3, 9, 0)),
        ("周一 15:00", shanghai(2026, 11, 30, 15, 0)),
    ],
)
def test_each_date_form_is_understood(jh1, bot, typed, expected):
    notify(jh1, typed)
    assert notices(bot)[0].event_at == expected


@pytest.mark.parametrize(
    ("typed", "full"),
    [
        ("12月3日 9:30-11:30", "12月3日（周四）09:30-11:30"),
        ("12月4日至5日", "12月4日（周五）至12月5日（周六）"),
        ("11月30日-12月1日", "11月30日（周一）至12月1日（周二）"),
        ("12月3日 九点-十一点", "12月3日（周四）09:00-11:00"),
        ("12月3日 全天", "12月3日（周四）全天"),
        ("后天上午", "11月27日（周五）上午"),
    ],
)
def test_a_range_or_a_part_of_day_reads_the_same_everywhere(jh1, wecom, bot, messenger, typed, full):
    jh1.say("预告")
    jh1.say_all(THEME, typed, "1,3", MEDIA, LIAISON)
    assert f"2. 宣传时间：{full}" in jh1.say("跳过")
    assert f"{THEME}，{full}，" in jh1.say("确认")
    assert f"1. {full} {THEME}" in jh1.say("我的预告")
    assert f"宣传时间：{full}" in messenger.sent[0].text
    assert f"{full} 景洪市人民法院｜{THEME}" in wecom.say("admin1", "预告列表")
    wecom.say("admin1", "导出")
    [sheet] = [s for s in messenger.sent if s.kind == "file"]
    table = list(openpyxl.load_workbook(io.BytesIO(sheet.content))["近期重点策划"].iter_rows(values_only=True))
    assert table[2][:3] == ("景洪市人民法院", THEME, full)


def test_a_range_is_stored_as_its_start_and_end(jh1, bot):
    notify(jh1, "12月3日 9:30-11:30")
    [notice] = notices(bot)
    assert (notice.event_at, notice.event_end, notice.event_part) == (shanghai(2026, 12, 3, 9, 30), shanghai(2026, 12, 3, 11, 30), None)


def test_modifying_another_field_of_a_range_keeps_the_range(jh1, bot, messenger):
    notify(jh1, "12月3日 9:30-11:30")
    assert "2. 宣传时间：12月3日（周四）09:30-11:30" in jh1.say("修改预告 1")
    jh1.say_all("修改 4", "州电视台")
    assert "已报送预告" in jh1.say("确认")
    [notice] = notices(bot)
    assert (notice.event_at, notice.event_end, notice.media) == (shanghai(2026, 12, 3, 9, 30), shanghai(2026, 12, 3, 11, 30), "州电视台")
    modified = next(s.text for s in messenger.sent if "（已修改）" in s.text)
    assert "宣传时间：12月3日（周四）09:30-11:30\n" in modified and "媒体参与：州电视台（原 西双版纳电视台）" in modified


def test_a_date_alone_asks_for_the_time_and_keeps_the_date(jh1, bot):
    jh1.say("预告")
    jh1.say(THEME)
    assert "已记下日期 12月1日，请回复开始时间" in jh1.say("12月1日")
    assert "宣传方式" in jh1.say("下午3点")
    jh1.say_all("2", MEDIA, LIAISON, "跳过", "确认")
    assert notices(bot)[0].event_at == shanghai(2026, 12, 1, 15, 0)


def test_an_hour_from_1_to_6_without_its_half_of_the_day_is_asked_about(jh1, bot):
    jh1.say("预告")
    jh1.say(THEME)
    assert jh1.say("明天 3点") == "“3点”是上午还是下午？请回复 上午 或 下午。"
    assert "宣传方式" in jh1.say("下午")
    jh1.say_all("2", MEDIA, LIAISON, "跳过", "确认")
    assert notices(bot)[0].event_at == shanghai(2026, 11, 26, 15, 0)


def test_an_hour_from_1_to_6_in_a_range_is_asked_about_and_the_range_keeps_its_end(jh1, bot):
    jh1.say("预告")
    jh1.say(THEME)
    assert jh1.say("12月3日 3点-5点") == "“3点”是上午还是下午？请回复 上午 或 下午。"
    jh1.say_all("下午", "2", MEDIA, LIAISON)
    assert "2. 宣传时间：12月3日（周四）15:00-17:00" in jh1.say("跳过")
    jh1.say("确认")
    [notice] = notices(bot)
    assert (notice.event_at, notice.event_end) == (shanghai(2026, 12, 3, 15, 0), shanghai(2026, 12, 3, 17, 0))


def test_back_from_the_time_after_a_date_asks_the_date_again_and_never_touches_the_theme(jh1, bot):
    jh1.say("预告")
    jh1.say(THEME)
    jh1.say("12月3日")
    assert jh1.say("上一步").startswith("（2/6）请填写活动时间")
    assert "已记下日期 12月4日" in jh1.say("12月4日")
    assert "宣传方式" in jh1.say("下午3点")
    assert draft(bot)["answers"]["theme"] == THEME
    jh1.say_all("2", MEDIA, LIAISON, "跳过", "确认")
    [notice] = notices(bot)
    assert (notice.theme, notice.event_at) == (THEME, shanghai(2026, 12, 4, 15, 0))


def test_back_from_the_half_of_the_day_question_asks_the_time_again(jh1, bot):
    jh1.say("预告")
    jh1.say(THEME)
    jh1.say("12月3日 3点-5点")
    assert jh1.say("上一步").startswith("（2/6）请填写活动时间")
    assert "宣传方式" in jh1.say("12月3日 9:30-11:30")
    assert draft(bot)["answers"]["theme"] == THEME and draft(bot)["held"] == {}


@pytest.mark.parametrize(
    ("typed", "reason"),
    [("今天 8:00", "已经过去"), ("2026-11-01 09:00", "已经过去"), ("9:30", "请写明日期"), ("2026-02-30 9:00", "没有这一天"), ("明天 25:00", "未能识别该时间"),
     ("改天吧", "请写明日期")],
)
def test_past_or_unreadable_times_are_re_asked(jh1, bot, typed, reason):
    jh1.say("预告")
    jh1.say(THEME)
    reply = jh1.say(typed)
    assert reason in reply and "（2/6）" in reply


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("1,3", ["电视专题", "短消息/新闻"]), ("2、8、9", ["执行直播", "媒体采风", "代表委员见证"]), ("１，２", ["电视专题", "执行直播"]), ("抖音直播",
                                                                                                     ["抖音直播"]), ("2,抖音", ["执行直播", "抖音"])],
)
def test_channels_multi_select_or_free_text(jh1, bot, typed, stored):
    notify(jh1, "12月1日 9:30", channels=typed)
    assert notices(bot)[0].channels == stored


def test_an_unknown_channel_number_is_re_asked(jh1):
    jh1.say("预告")
    jh1.say_all(THEME, "12月1日 9:30")
    assert "没有编号 12" in jh1.say("1,12")


def test_liaison_needs_a_name_and_a_phone(jh1):
    jh1.say("预告")
    jh1.say_all(THEME, "12月1日 9:30", "1", MEDIA)
    assert "联络人姓名和电话" in jh1.say("李华")
    assert "联络人姓名和电话" in jh1.say("13800138000")
    assert "其他" in jh1.say("执行局 李华 0691-2123456")


def test_my_notices_lists_upcoming_numbered(jh1, bot, clock):
    assert "暂无待举行的预告" in jh1.say("我的预告")
    notify(jh1, "12月3日 9:30")
    notify(jh1, "明天 9:30")
    listing = jh1.say("我的预告")
    assert listing.index("1. 11月26日（周四）09:30") < listing.index("2. 12月3日（周四）09:30")
    assert "⚠提前不足2天" in listing.splitlines()[1] and "⚠" not in listing.splitlines()[2]
    clock.set(shanghai(2026, 11, 27, 9, 0))
    assert "11月26日" not in jh1.say("我的预告")


def test_modify_re_checks_the_rule_against_the_original_submission_date(jh1, bot, clock, messenger):
    notify(jh1, "11月30日 9:30")
    clock.set(shanghai(2026, 11, 28, 10, 0))
    summary = jh1.say("修改预告 1")
    assert "（修改）" in summary and "1. 宣传主题：" + THEME in summary
    jh1.say_all("修改 2", "11月29日 15:00")
    receipt = jh1.say("确认")
    assert "提前 4 天，符合要求" in receipt  # 11-29 minus the original 11-25, not minus today
    [notice] = notices(bot)
    assert notice.event_at == shanghai(2026, 11, 29, 15, 0) and notice.lead_days == 4
    assert sorted(s.target for s in messenger.sent if "（已修改）" in s.text) == ["enforcement", "office"]


def test_withdraw_tells_the_office_and_keeps_history(jh1, bot, messenger):
    notify(jh1, "12月3日 9:30")
    assert "请先发送 我的预告" in jh1.say("撤回预告 5")
    assert "已撤回预告" in jh1.say_all("撤回预告 1", "确认")
    assert "暂无待举行的预告" in jh1.say("我的预告")
    assert sorted(s.target for s in messenger.sent if "（已撤回）" in s.text) == ["enforcement", "office"]
    with Session(bot.engine) as session:
        assert [r.action for r in session.exec(select(NoticeRevision).order_by(NoticeRevision.id))] == ["created", "withdrawn"]


def test_members_of_another_unit_cannot_touch_the_notice(wecom, bot):
    notify(Chat(wecom, "jh1"), "12月3日 9:30")
    assert "暂无待举行的预告" in Chat(wecom, "ml1").say("撤回预告 1")
    assert notices(bot)[0].withdrawn is False


def outbox_statuses(bot) -> list[str]:
    with Session(bot.engine) as session:
        return sorted(r.status for r in session.exec(select(OutboxMessage)))


def test_a_failed_office_push_stays_in_the_outbox_and_the_notice_is_kept(jh1, bot, messenger, clock):
    messenger.failures.extend(SendError("WeCom down", retryable=True) for _ in range(6))  # three tries each, both office groups
    assert "已报送预告" in notify(jh1, "12月3日 9:30")
    assert len(notices(bot)) == 1
    assert outbox_statuses(bot) == ["pending", "pending"]
    clock.advance(minutes=2)
    bot.env.flush_outbox()
    assert outbox_statuses(bot) == ["sent", "sent"]
    assert sorted(s.target for s in messenger.sent) == ["enforcement", "office"]


def test_a_notice_opens_beside_a_weekly_draft_and_each_keeps_its_answers(jh1, bot):
    jh1.say_all("周报", "本周开展集中执行行动 2 次")
    opened = jh1.say("预告")
    assert "（1/6）" in opened and "另有周报草稿已保留，发送 周报 接着填写" in opened
    jh1.say(THEME)
    assert "继续预告草稿（另有周报草稿，发送 周报 切换）" in jh1.say("继续")
    assert "回复 继续 接着填" in jh1.say("周报")
    assert "（2/8）" in jh1.say("继续")
    assert draft(bot, form="weekly")["answers"] == {"summary": "本周开展集中执行行动 2 次"}
    assert draft(bot, form="notice")["answers"] == {"theme": THEME}


def test_cancel_a_notice_draft(jh1, bot):
    jh1.say("预告")
    jh1.say(THEME)
    jh1.say("取消")
    assert "已取消" in jh1.say("是")
    assert notices(bot) == []
