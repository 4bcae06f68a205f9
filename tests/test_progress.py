"""进度: articles counted by 类型 across weeks since the campaign start, against the plan's or the configured targets,
with who contributed; 进度 <单位> (a member's 进度) one unit against its share."""

from __future__ import annotations

from bot.runtime import build_bot, run_inline
from handlers.progress import MEMBER_USAGE, OWN_UNIT_ONLY, USAGE
from reports.unitmatch import NOT_FOUND
from tests.support.config import BASE_CONFIG, make_config, shanghai
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
        "  各单位：景洪 2、勐腊 1",
        "执行直播：1/8，还差 7",
        "  各单位：勐腊 1",
        "短消息/新闻：3/20，还差 17",
        "  各单位：景洪 3",
        "公益广告：0/1，还差 1",
        "报纸（傣乡法苑）：每周至少 1，本周 1/1",
        "  达标 2/21 周",
        "  未达标：第27周、第28周、第29周、第30周等 19 个",
        "  各单位累计：景洪 2、勐腊 1",
        "新闻发布会：每季度至少 1，本季度 1/1",
        "  往季达标 0/1",
        "  未达标：2026年第3季度",
        "  各单位累计：勐腊 1",
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
        "  各单位：景洪 2、勐腊 1",
        "报纸（傣乡法苑）：每周至少 1，本周 1/1",
        "  达标 2/7 周",
        "  未达标：第41周、第42周、第43周、第45周等 5 个",
        "  各单位累计：景洪 2、勐腊 1",
    ]


def test_before_the_start_there_is_no_progress(tmp_path, clock):
    clock.set(shanghai(2026, 5, 6, 9))
    assert say_with(tmp_path, clock, "进度") == "宣传活动自 2026-07-01 开始，目前还没有进度。"


SIX_COURTS = [
    ("zhongyuan", "西双版纳州中级人民法院执行局", "中院"),
    ("jinghong", "景洪市人民法院", ""),
    ("menghai", "勐海县人民法院", ""),
    ("mengla", "勐腊县人民法院", ""),
    ("gaoyuan", "云南省高级人民法院", ""),
    ("xishuang", "西双县人民法院", ""),
]


def test_contributors_are_named_short_most_first_and_fold_beyond_four(tmp_path, clock):
    units = [{"id": i, "name": name, "short_name": short, "members": [f"{i}1"], "group": "jinghong"} for i, name, short in SIX_COURTS]

    def fill(bot):
        for unit_id, *_ in SIX_COURTS:
            add_report(bot, unit_id, "2026-W47", shanghai(2026, 11, 18, 9), by=f"{unit_id}1", articles=piece(TV, 2 if unit_id == "gaoyuan" else 1))
        add_report(bot, "zhongyuan", "2026-W48", shanghai(2026, 11, 24, 9), by="zhongyuan1", articles=piece(LIVE) + piece(NEWS))
        add_report(bot, "gaoyuan", "2026-W48", shanghai(2026, 11, 24, 9), by="gaoyuan1", articles=piece(NEWS))

    lines = say_with(tmp_path, clock, "进度", fill=fill, units=units).splitlines()
    assert lines[1:6] == [
        "电视专题：7/6，已完成",
        "  各单位：云南高院 2、中院 1、景洪 1、勐海 1 等 6 个单位",
        "执行直播：1/8，还差 7",
        "  各单位：中院 1",
        "短消息/新闻：2/20，还差 18",
    ]
    assert lines[6] == "  各单位：中院 1、云南高院 1"


def test_units_whose_derived_short_names_clash_are_named_in_full(tmp_path, clock):
    units = [
        {"id": "jinghong", "name": "景洪市人民法院", "members": ["jh1"], "group": "jinghong"},
        {"id": "jinghong2", "name": "景洪县人民法院", "members": ["jh2"], "group": "jinghong"},
        {"id": "mengla", "name": "勐腊县人民法院", "short_name": "腊", "members": ["ml1"], "group": "mengla"},
    ]

    def fill(bot):
        for unit_id, user in (("jinghong", "jh1"), ("jinghong2", "jh2"), ("mengla", "ml1")):
            add_report(bot, unit_id, "2026-W48", shanghai(2026, 11, 24, 9), by=user, articles=piece(TV))

    lines = say_with(tmp_path, clock, "进度", fill=fill, units=units).splitlines()
    assert lines[2] == "  各单位：景洪市人民法院 1、景洪县人民法院 1、腊 1"


UNIT_HEADER = ["2026-07-01 起至第48周（11月23日—29日）"]


def test_a_units_share_against_the_plans_per_unit_expectation(wecom, bot):
    fill_campaign(bot)
    assert wecom.say("admin1", "进度 景洪").splitlines() == [
        "景洪市人民法院 执行宣传进度",
        *UNIT_HEADER,
        "电视专题：2/1，已完成",
        "执行直播：0/2，还差 2",
        "短消息/新闻：已报 3，不设单位任务",
        "公益广告：已报 0，不设单位任务",
        "报纸（傣乡法苑）：已报 2，本周 0，不设单位任务",
        "新闻发布会：已报 0，本季度 0，不设单位任务",
    ]


def test_a_unit_with_nothing_yet_is_shown_its_whole_share(wecom, bot):
    add_report(bot, "mengla", "2026-W48", shanghai(2026, 11, 24, 9), by="ml1", articles=piece("其他"))
    assert wecom.say("admin1", "进度 勐腊").splitlines() == [
        "勐腊县人民法院 执行宣传进度",
        *UNIT_HEADER,
        "电视专题：0/1，还差 1",
        "执行直播：0/2，还差 2",
        "短消息/新闻：已报 0，不设单位任务",
        "公益广告：已报 0，不设单位任务",
        "报纸（傣乡法苑）：已报 0，本周 0，不设单位任务",
        "新闻发布会：已报 0，本季度 0，不设单位任务",
    ]


def test_an_unknown_unit_is_named_back(wecom, bot):
    assert wecom.say("admin1", "进度 西山") == NOT_FOUND.format(text="西山")


def test_a_member_sees_their_own_units_share_and_no_other(wecom, bot):
    fill_campaign(bot)
    own = wecom.say("admin1", "进度 景洪")
    assert wecom.say("jh1", "进度") == own
    assert wecom.say("jh2", "进度 景洪") == own
    assert wecom.say("jh1", "进度 勐腊") == OWN_UNIT_ONLY
    assert wecom.say("jh1", "进度 西山") == OWN_UNIT_ONLY


def test_help_offers_admins_any_unit_and_members_their_own(wecom):
    assert USAGE in wecom.say("admin1", "帮助").splitlines()
    member_help = wecom.say("ml1", "帮助").splitlines()
    assert MEMBER_USAGE in member_help and USAGE not in member_help


def test_an_unset_share_splits_the_target_evenly_and_period_shares_are_judged_per_unit(tmp_path, clock):
    campaign = {"targets": [
        {"type": TV, "target": 5},  # two units: 2 each, the fifth nobody's
        {"type": LIVE, "target": 8, "per_unit": 3},
        {"type": PAPER, "target": 2, "per": "week"},  # 1 a week each
        {"type": PRESS, "target": 1, "per": "quarter", "per_unit": 1},
    ]}
    lines = say_with(tmp_path, clock, "进度 景洪", fill=fill_campaign, campaign=campaign).splitlines()
    assert lines[2:] == [
        "电视专题：2/2，已完成",
        "执行直播：0/3，还差 3",
        "报纸（傣乡法苑）：每周至少 1，本周 0/1",
        "  达标 2/21 周",
        "  未达标：第27周、第28周、第29周、第30周等 19 个",
        "新闻发布会：每季度至少 1，本季度 0/1",
        "  往季达标 0/1",
        "  未达标：2026年第3季度",
    ]


def test_the_example_config_names_the_intermediate_court_as_the_office_does(tmp_path, clock):
    units = [{"id": "zhongyuan", "name": "西双版纳州中级人民法院执行局", "short_name": "中院", "members": ["zy1"], "group": "jinghong"},
             *BASE_CONFIG["units"]]

    def fill(bot):
        add_report(bot, "zhongyuan", "2026-W47", shanghai(2026, 11, 18, 9), by="zy1", articles=piece(TV))
        add_report(bot, "jinghong", "2026-W47", shanghai(2026, 11, 18, 9), articles=piece(TV))

    assert say_with(tmp_path, clock, "进度", fill=fill, units=units).splitlines()[1:3] == ["电视专题：2/6，还差 4", "  各单位：中院 1、景洪 1"]
