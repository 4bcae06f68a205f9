"""查询 <单位> [周] with fuzzy unit names, and 预告列表, through the encrypted webhook."""

from __future__ import annotations

from datetime import timedelta

from reports.unitmatch import match_units
from storage.units import UnitRef
from tests.support.config import shanghai
from tests.support.factories import add_notice, add_report

NEWS = ("州法院集中执行", "https://news.example/1", "短消息/新闻")


def test_query_matches_part_of_the_name_and_shows_the_form(wecom, bot):
    add_report(bot, "jinghong", "2026-W48", shanghai(2026, 11, 24, 9), articles=[NEWS], other="")
    lines = wecom.say("admin1", "查询 景洪").splitlines()
    assert lines == [
        "景洪市人民法院 第48周（11月23日—29日） 周报",
        "提交：11月24日（周二）09:00 jh1（按时）",
        "本周执行宣传工作基本简介：简介",
        "宣传举措：举措",
        "宣传做法：做法",
        "宣传效果：效果",
        "其他：无",
        "稿件（1）：",
        "1. 州法院集中执行（短消息/新闻）",
        "https://news.example/1",
        "联系人：李华",
        "联系电话：13800138000",
        "日期：2026-11-24",
    ]


def test_query_of_a_revised_report_carries_the_history_marker(wecom, bot):
    add_report(bot, "mengla", "2026-W47", shanghai(2026, 11, 19, 9), by="ml1")
    add_report(bot, "mengla", "2026-W47", shanghai(2026, 11, 21, 10), by="ml1", summary="补充后的简介")
    reply = wecom.say("admin1", "查询 勐腊 上周")
    assert reply.splitlines()[:3] == ["勐腊县人民法院 第47周（11月16日—22日） 周报", "提交：11月21日（周六）10:00 ml1（截止后修改）",
                                      "【历史】共 2 版，首次提交 11月19日（周四）09:00（按时），以下为最新一版"]
    assert "本周执行宣传工作基本简介：补充后的简介" in reply
    assert wecom.say("admin1", "查询 勐腊县人民法院 2026-W47") == reply
    assert "【历史】" not in wecom.say("admin1", "查询 勐腊")


def test_query_without_a_report_says_so(wecom):
    assert wecom.say("admin1", "查询 景洪法院") == "景洪市人民法院 第48周（11月23日—29日）：未报送。"


def test_query_lists_choices_when_ambiguous_and_says_when_unknown(wecom):
    assert wecom.say("admin1", "查询 人民法院") == "“人民法院”对应多个单位：景洪市人民法院、勐腊县人民法院。请写得更具体些。"
    assert "没有找到单位“昆明”" in wecom.say("admin1", "查询 昆明")
    assert "查询 景洪" in wecom.say("admin1", "查询")


def test_match_prefers_exact_then_part_then_characters_in_order():
    units = [UnitRef("menghai", "勐海县人民法院"), UnitRef("mengla", "勐腊县人民法院"), UnitRef("zy", "勐腊县人民法院执行局")]
    assert [u.id for u in match_units(units, "勐腊县人民法院")] == ["mengla"]
    assert [u.id for u in match_units(units, "mengla")] == ["mengla"]
    assert [u.id for u in match_units(units, "勐腊")] == ["mengla", "zy"]
    assert [u.id for u in match_units(units, "勐海法院")] == ["menghai"]
    assert match_units(units, "昆明") == []


def test_notice_list_covers_the_next_14_days_with_the_lead_flag(wecom, bot, clock):
    now = clock()
    add_notice(bot, "jinghong", at=now, event_at=shanghai(2026, 11, 30, 9, 30), theme="集中清查")
    add_notice(bot, "mengla", at=now, event_at=shanghai(2026, 11, 26, 15), theme="强制腾房", channels=["电视专题", "执行直播"])
    add_notice(bot, "mengla", at=now, event_at=now + timedelta(days=15), theme="太远")
    add_notice(bot, "mengla", at=now - timedelta(days=3), event_at=now - timedelta(hours=1), theme="已过")
    assert wecom.say("admin1", "预告列表").splitlines() == [
        "未来 14 天重点策划预告 2 条：",
        "11月26日（周四）15:00 勐腊县人民法院｜强制腾房｜电视专题、执行直播｜⚠提前不足2天",
        "11月30日（周一）09:30 景洪市人民法院｜集中清查｜执行直播｜提前5天",
    ]


def test_notice_list_when_there_is_none(wecom):
    assert wecom.say("admin1", "预告列表") == "未来 14 天没有重点策划预告。"
