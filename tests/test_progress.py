"""进度: articles counted by 类型 across weeks since the campaign start, against the plan's or the configured targets."""

from __future__ import annotations

from bot.runtime import build_bot, run_inline
from tests.support.config import make_config, shanghai
from tests.support.factories import add_report
from tests.support.wecom_sim import wecom_for

TV, LIVE, NEWS, PAPER, PRESS = "电视专题", "执行直播", "短消息/新闻", "报纸（傣乡法苑）", "新闻发布会"


def piece(channel: str, n: int = 1) -> list[tuple[str, str, str]]:
    return [(f"{channel}{i}", f"https://x.example/{i}", channel) for i in range(n)]


def fill_campaign(bot):
    add_report(bot, "jinghong", "2026-W26", shanghai(2026, 6, 24, 9), articles=piece(TV, 4))  # before July 1
    add_report(bot, "jinghong", "2026-W40", shanghai(2026, 10, 1, 9), articles=piece(TV, 2) + piece(PAPER))
    add_report(bot, "mengla", "2026-W41", shanghai(2026, 10, 8, 9), by="ml1", articles=piece(TV) + piece(LIVE) + piece(PRESS))
    add_report(bot, "jinghong", "2026-W47", shanghai(2026, 11, 18, 9), articles=piece(TV, 5))
    add_report(bot, "jinghong", "2026-W47", shanghai(2026, 11, 19, 9), articles=piece(NEWS, 3) + piece(PAPER))  # replaces the above
    add_report(bot, "mengla", "2026-W48", shanghai(2026, 11, 24, 9), by="ml1", articles=piece(PAPER))


def test_progress_counts_current_articles_by_type_since_july(wecom, bot):
    fill_campaign(bot)
    assert wecom.say("admin1", "进度").splitlines() == [
        "执行宣传进度：2026-07-01 起至第48周（11月23日—29日）",
        "电视专题：3/6，还差 3",
        "执行直播：1/8，还差 7",
        "短消息/新闻：3/20，还差 17",
        "公益广告：0/1，还差 1",
        "报纸（傣乡法苑）：每周至少 1，达标 2/21 周，本周 1/1；未达标：第27周、第28周、第29周、第30周、第31周、第32周等 19 个",
        "新闻发布会：每季度至少 1，本季度 1/1，往季达标 0/1；未达标：2026年第3季度",
    ]


def say_with(tmp_path, clock, text: str, *, fill=None, **overrides) -> str:
    bot = build_bot(make_config(f"sqlite:///{tmp_path}/p.db", **overrides), clock=clock, background=run_inline)
    if fill:
        fill(bot)
    return wecom_for(bot).say("admin1", text)


def test_configured_start_and_targets_replace_the_plans(tmp_path, clock):
    campaign = {"start": "2026-10-01", "targets": [{"type": TV, "target": 2}, {"type": PAPER, "target": 1, "per": "week"}]}
    reply = say_with(tmp_path, clock, "进度", fill=fill_campaign, campaign=campaign, schedule={"exempt_weeks": ["2026-W44"]})
    assert reply.splitlines() == [
        "执行宣传进度：2026-10-01 起至第48周（11月23日—29日）",
        "电视专题：3/2，已完成",
        "报纸（傣乡法苑）：每周至少 1，达标 2/7 周，本周 1/1；未达标：第41周、第42周、第43周、第45周、第46周",
    ]


def test_before_the_start_there_is_no_progress(tmp_path, clock):
    clock.set(shanghai(2026, 5, 6, 9))
    assert say_with(tmp_path, clock, "进度") == "宣传活动自 2026-07-01 开始，目前还没有进度。"
