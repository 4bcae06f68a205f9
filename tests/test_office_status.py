"""状态 / 本周 / 未报 / 历史 through the encrypted webhook."""

from __future__ import annotations

from bot.runtime import build_bot, run_inline
from tests.support.config import BASE_CONFIG, make_config, shanghai
from tests.support.factories import add_report
from tests.support.wecom_sim import wecom_for


def test_status_lists_every_unit_with_time_and_timeliness(wecom, bot):
    add_report(bot, "jinghong", "2026-W48", shanghai(2026, 11, 24, 9, 30))
    reply = wecom.say("admin1", "状态")
    assert reply.splitlines() == [
        "第48周（11月23日—29日）报送情况",
        "截止：11月27日（周五）12:00",
        "已报送 1（按时 1，逾期 0），未报送 1",
        "景洪市人民法院：已报送 11月24日（周二）09:30 按时",
        "勐腊县人民法院：未报送",
    ]
    assert wecom.say("admin1", "本周") == reply


def test_status_of_another_week_shows_late_and_revised(wecom, bot):
    add_report(bot, "jinghong", "2026-W47", shanghai(2026, 11, 20, 15))  # after Friday 12:00
    add_report(bot, "jinghong", "2026-W47", shanghai(2026, 11, 21, 9), by="jh2")
    add_report(bot, "mengla", "2026-W47", shanghai(2026, 11, 19, 9), by="ml1")
    reply = wecom.say("admin1", "状态 上周")
    assert "景洪市人民法院：已报送 11月20日（周五）15:00 逾期 已修改" in reply
    assert "勐腊县人民法院：已报送 11月19日（周四）09:00 按时" in reply
    assert "已报送 2（按时 1，逾期 1），未报送 0" in reply
    assert wecom.say("admin1", "状态 2026-W47") == reply
    assert wecom.say("admin1", "状态 2026w47") == reply
    assert wecom.say("admin1", "状态 第47周") == reply  # as every label names the week


def test_status_of_an_unreadable_week_asks_again(wecom):
    assert "未能识别周次“下个月”" in wecom.say("admin1", "状态 下个月")
    assert "未能识别周次" in wecom.say("admin1", "状态 2026-W60")


def test_exempt_week_shows_免报(tmp_path, clock, messenger):
    config = make_config(f"sqlite:///{tmp_path}/e.db", schedule={"exempt_weeks": ["2026-W48"]})
    bot = build_bot(config, messenger=messenger, clock=clock, background=run_inline)
    add_report(bot, "mengla", "2026-W48", shanghai(2026, 11, 24, 9), by="ml1")
    wecom = wecom_for(bot)
    reply = wecom.say("admin1", "状态")
    assert "景洪市人民法院：免报" in reply and "勐腊县人民法院：已报送" in reply and "免报 1" in reply
    assert wecom.say("admin1", "未报") == "第48周（11月23日—29日） 本周免报。"


def test_missing_lists_units_with_their_members(wecom, bot):
    assert wecom.say("admin1", "未报").splitlines() == [
        "第48周（11月23日—29日） 未报送 2 个单位：",
        "截止：11月27日（周五）12:00",
        "景洪市人民法院：jh1、jh2",
        "勐腊县人民法院：ml1",
    ]
    add_report(bot, "jinghong", "2026-W48", shanghai(2026, 11, 24, 9))
    add_report(bot, "mengla", "2026-W48", shanghai(2026, 11, 24, 9), by="ml1")
    assert wecom.say("admin1", "未报") == "第48周（11月23日—29日） 各单位均已报送。"


def test_history_shows_eight_weeks_on_time_late_missing(wecom, bot, clock):
    add_report(bot, "jinghong", "2026-W47", shanghai(2026, 11, 20, 11))
    add_report(bot, "jinghong", "2026-W46", shanghai(2026, 11, 13, 12, 1))
    lines = wecom.say("admin1", "历史 景洪").splitlines()
    assert lines[0] == "景洪市人民法院 近 8 周报送情况："
    assert lines[1:4] == ["第48周（11月23日—29日） 未报送（未到截止）", "第47周（11月16日—22日） 已报送 11月20日（周五）11:00 按时",
                          "第46周（11月9日—15日） 已报送 11月13日（周五）12:01 逾期"]
    assert lines[4:] == ["第45周（11月2日—8日） 未报送", "第44周（10月26日—11月1日） 未报送", "第43周（10月19日—25日） 未报送",
                         "第42周（10月12日—18日） 未报送", "第41周（10月5日—11日） 未报送"]
    clock.set(shanghai(2026, 11, 27, 12, 1))
    assert "第48周（11月23日—29日） 未报送" in wecom.say("admin1", "历史 景洪").splitlines()


def test_history_needs_a_unit_it_can_find(wecom):
    assert "历史 景洪" in wecom.say("admin1", "历史")
    assert "没有找到单位“昆明”" in wecom.say("admin1", "历史 昆明")


def test_status_of_a_whole_province_fits_wecom_by_following_up(tmp_path, clock, messenger):
    """About 150 courts: the passive reply stays under 2048 bytes and nothing is cut off."""
    units = [{"id": f"u{i:03d}", "name": f"第{i}人民法院", "members": [f"m{i}"], "group": "office"} for i in range(150)]
    config = make_config(f"sqlite:///{tmp_path}/p.db", units=BASE_CONFIG["units"] + units)
    bot = build_bot(config, messenger=messenger, clock=clock, background=run_inline)
    passive = wecom_for(bot).say("admin1", "状态")
    followed = "\n".join(s.text for s in messenger.sent if s.target == "admin1")
    assert len(passive.encode()) <= 2048
    assert all(f"第{i}人民法院" in passive + followed for i in range(150))
