"""What users may type: invisible characters, article links and event dates, through the encrypted webhook."""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import Session, select

from common.messenger import TEXT_LIMIT_BYTES
from handlers.advance_notice import NOTICE
from handlers.base import clean_text
from handlers.forms.fields import MAX_URL, Field, Invalid, Repeat, url
from handlers.forms.when import MAX_DAYS_AHEAD, YEARLESS_DAYS_AHEAD, event_span, event_time
from handlers.weekly_report import WEEKLY
from storage.models import Article, Notice, ReportRevision
from tests.support.chat import Chat, draft
from tests.support.config import shanghai
from tests.support.factories import add_notice
from tests.support.scheduling import service_for

NOW = shanghai(2026, 11, 25, 10, 0)  # the clock fixture's moment
TOMORROW = shanghai(2026, 11, 26)
REPORT = ("本周开展集中执行行动 2 次", "联合州电视台开展执行直播", "执行干警现场讲解", "直播观看 2.3 万人次")
THEME, MEDIA, LIAISON = "涉民生案件集中执行行动", "西双版纳电视台", "李华 13800138000"


@pytest.fixture
def jh1(wecom):
    return Chat(wecom, "jh1")


def notices(bot) -> list[Notice]:
    with Session(bot.engine) as session:
        return session.exec(select(Notice).order_by(Notice.id)).all()


def parsed(parser, typed: str):
    """What the parser makes of the answer, or None when it refuses (always with a reason)."""
    try:
        return parser(typed, NOW)
    except Invalid as refusal:
        assert str(refusal)
        return None


def report_summary(chat: Chat) -> str:
    """A whole weekly report typed up to its summary, without articles."""
    chat.say("周报")
    chat.say_all(*REPORT)
    chat.say_all("跳过", "完成", "李华")
    return chat.say("13800138000")


def notice_summary(chat: Chat, when: str) -> str:
    chat.say("预告")
    chat.say_all(THEME, when, "1,3", MEDIA, LIAISON)
    return chat.say("跳过")


# Invisible and direction-changing characters

INVISIBLE = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u200e", "\u200f", "\u202a", "\u202e", "\u2066", "\u2069", "\u00ad")


@pytest.mark.parametrize("invisible", [INVISIBLE[0], "".join(INVISIBLE), " \u200b \ufeff "])
def test_invisible_characters_alone_are_an_empty_answer_and_the_draft_keeps_its_answers(jh1, bot, invisible):
    report_summary(jh1)
    jh1.say("修改 1")
    before = draft(bot)["answers"]
    reply = jh1.say(invisible)
    assert "内容不能为空" in reply and "（1/8）" in reply
    assert draft(bot)["answers"] == before
    assert "请核对" in jh1.say("保留")


def test_direction_overrides_are_not_stored(jh1, bot):
    jh1.say("周报")
    jh1.say("本周开展\u202e动行行执中集\u202c 2 次")
    jh1.say_all(*REPORT[1:], "跳过", "完成", "李华", "13800138000")
    assert "已提交" in jh1.say("确认")
    with Session(bot.engine) as session:
        [revision] = session.exec(select(ReportRevision)).all()
    assert revision.summary == "本周开展动行行执中集 2 次"


def test_a_command_with_a_zero_width_space_still_works(jh1):
    assert "（1/8）" in jh1.say("周\u200b报")


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80))
def test_cleaned_text_holds_no_invisible_or_control_character(text):
    cleaned = clean_text(text)
    assert all(unicodedata.category(c) not in ("Cf", "Cc") or c in "\t\n" for c in cleaned)
    assert clean_text(cleaned) == cleaned


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cf", "Cc")), max_size=80))
def test_visible_text_is_only_trimmed(text):
    assert clean_text(text) == text.strip()


# Event dates

def test_an_event_in_the_next_year_shows_its_year_everywhere(wecom, jh1, bot, clock, messenger):
    clock.set(shanghai(2026, 12, 28, 10, 0))
    notice_summary(jh1, "12月30日 15:00")
    jh1.say("确认")
    summary = notice_summary(jh1, "1月2日 9点")
    assert "2. 宣传时间：2027年1月2日（周六）09:00" in summary
    assert "2027年1月2日（周六）09:00，提前 5 天" in jh1.say("确认")
    assert ["2027年1月2日（周六）09:00" in s.text for s in messenger.sent] == [False, False, True, True]
    mine = jh1.say("我的预告").splitlines()
    assert mine[1].startswith("1. 12月30日（周三）15:00") and mine[2].startswith("2. 2027年1月2日（周六）09:00")
    listing = Chat(wecom, "admin1").say("预告列表").splitlines()
    assert listing[1].startswith("12月30日（周三）15:00") and listing[2].startswith("2027年1月2日（周六）09:00")
    assert "2027年1月2日（周六）09:00" in jh1.say("修改预告 2")


def test_the_digest_shows_the_year_of_next_years_events(bot, clock, messenger):
    add_notice(bot, "jinghong", at=shanghai(2026, 12, 20, 9), event_at=shanghai(2027, 1, 1, 10, 0), theme="元旦执行")
    add_notice(bot, "jinghong", at=shanghai(2026, 12, 20, 9), event_at=shanghai(2026, 12, 31, 10, 0), theme="年末执行")
    clock.set(shanghai(2026, 12, 31, 9, 0))
    service_for(bot, clock).tick("notice_digest")
    lines = messenger.to("office")[0].text.splitlines()
    assert lines[1].startswith("1. 12月31日（周四）10:00") and lines[2].startswith("2. 2027年1月1日（周五）10:00")


def test_a_date_alone_in_the_next_year_is_echoed_with_its_year(jh1):
    jh1.say("预告")
    jh1.say(THEME)
    assert "已记下日期 2027年1月5日" in jh1.say("1月5日")


def test_a_yearless_date_more_than_half_a_year_ahead_asks_for_the_year(jh1, bot):
    jh1.say("预告")
    jh1.say(THEME)
    reply = jh1.say("9月20日 9点")
    assert "2027年9月20日距今超过半年" in reply and "请写明年份" in reply and "（2/6）" in reply
    assert "event_at" not in draft(bot)["answers"] and draft(bot)["answers"]["theme"] == THEME
    assert "宣传方式" in jh1.say("2027年9月20日 9点")
    jh1.say_all("2", MEDIA, LIAISON, "跳过")
    assert "2027年9月20日（周一）09:00" in jh1.say("确认")
    assert notices(bot)[0].event_at == shanghai(2027, 9, 20, 9, 0)


@pytest.mark.parametrize("typed", ["2099-12-31 9:00", "9999-12-31 9:00", "2099-12-31", "2027-11-27 9:00"])
def test_events_more_than_a_year_ahead_are_refused(jh1, bot, typed):
    jh1.say("预告")
    jh1.say(THEME)
    reply = jh1.say(typed)
    assert "距今超过一年" in reply and "（2/6）" in reply
    assert "event_at" not in draft(bot)["answers"] and "partial" not in draft(bot)


@pytest.mark.parametrize(("typed", "said"), [("明天 上午15点", "上午15点"), ("明天 下午0点", "下午0点"), ("明天上午13:30", "上午13:30"), ("下周三 晚上3点",
                                                                                                                    "晚上3点")])
def test_a_period_that_contradicts_the_hour_is_refused(jh1, bot, typed, said):
    jh1.say("预告")
    jh1.say(THEME)
    reply = jh1.say(typed)
    assert f"“{said}”前后矛盾" in reply and "（2/6）" in reply
    assert "event_at" not in draft(bot)["answers"]


@pytest.mark.parametrize("typed", ["明天 晚上12点", "明天 24:00", "明天晚上十二点", "后天 凌晨12点"])
def test_midnight_at_the_end_of_tomorrow_is_the_start_of_the_day_after(jh1, bot, typed):
    assert "2. 宣传时间：11月27日（周五）00:00" in notice_summary(jh1, typed)
    jh1.say("确认")
    assert notices(bot)[0].event_at == shanghai(2026, 11, 27, 0, 0)


@pytest.mark.parametrize(("typed", "reason"), [("9月20日 9点", "2027年9月20日距今超过半年"), ("明天 上午15点", "“上午15点”前后矛盾"), ("上午15点",
                                                                                                               "“上午15点”前后矛盾")])
def test_after_a_date_alone_a_refusal_still_gives_its_own_reason(jh1, bot, typed, reason):
    jh1.say("预告")
    jh1.say_all(THEME, "12月1日")
    assert reason in jh1.say(typed)
    assert draft(bot)["held"]["partial"] == "2026-12-01"
    assert "宣传方式" in jh1.say("下午3点")


def accepted(typed: str) -> datetime | None:
    """The moment `event_time` reads, or None when it refuses."""
    moment = parsed(event_time, typed)
    return None if moment is None else event_span(moment)[0]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("明天 晚上12点半", shanghai(2026, 11, 27, 0, 30)),
        ("明天 凌晨12点", shanghai(2026, 11, 26, 0, 0)),
        ("明天 中午1点", shanghai(2026, 11, 26, 13, 0)),
        ("明天 下午12点半", shanghai(2026, 11, 26, 12, 30)),
        ("明天 上午12点", shanghai(2026, 11, 26, 12, 0)),
        ("明天 下午15点", shanghai(2026, 11, 26, 15, 0)),
        ("1月5日 9点", shanghai(2027, 1, 5, 9, 0)),
        ("2027年11月25日 9点", shanghai(2027, 11, 25, 9, 0)),
        ("明天 24:30", None),
        ("明天 晚上0点", None),
        ("5月27日 9点", shanghai(2027, 5, 27, 9, 0)),
        ("5月28日 9点", None),
        ("明天 3点", None),
        ("明天 03:00", shanghai(2026, 11, 26, 3, 0)),
        ("明天 凌晨3点", shanghai(2026, 11, 26, 3, 0)),
        ("本周一 15:00", None),
        ("周三 15:00", shanghai(2026, 11, 25, 15, 0)),
        ("24号 9:00", shanghai(2026, 12, 24, 9, 0)),
        ("25号 9:00", None),
        ("1.5 9:00", shanghai(2027, 1, 5, 9, 0)),
        ("明晚8点", shanghai(2026, 11, 26, 20, 0)),
    ],
)
def test_how_hours_periods_and_years_are_read(typed, expected):
    assert accepted(typed) == expected


@given(st.integers(1, 12), st.integers(1, 31), st.integers(0, 24), st.integers(0, 59))
def test_a_date_without_its_year_is_never_read_as_more_than_half_a_year_ahead(month, day, hour, minute):
    moment = accepted(f"{month}月{day}日 {hour}:{minute:02d}")
    assert moment is None or NOW < moment < NOW + timedelta(days=YEARLESS_DAYS_AHEAD + 1)


@given(st.integers(1, 12), st.integers(1, 31), st.integers(0, 24), st.integers(0, 59), st.sampled_from(".-/"))
def test_a_month_and_day_read_the_same_with_dots_dashes_slashes_or_characters(month, day, hour, minute, sep):
    assert accepted(f"{month}{sep}{day} {hour}:{minute:02d}") == accepted(f"{month}月{day}日 {hour}:{minute:02d}")


@given(st.sampled_from("一二三四五六日"), st.integers(11, 23))  # from 11:00: today (a Wednesday) is still ahead
def test_a_bare_weekday_is_the_next_one_within_a_week_today_included(weekday, hour):
    moment = accepted(f"周{weekday} {hour}:00")
    assert moment is not None and NOW < moment < NOW + timedelta(days=7)


@given(st.integers(1, 12), st.integers(1, 31), st.integers(0, 24), st.integers(0, 24), st.sampled_from(["-", "至", "~", "到"]),
       st.sampled_from(["", "日", "号"]))
def test_an_accepted_range_starts_ahead_within_a_year_and_ends_after_it(month, day, first, last, sep, mark):
    for typed in (f"{month}月{day}日 {first}:00{sep}{last}:30", f"{month}月{day}日{sep}{(day % 28) + 1}{mark}"):
        value = parsed(event_time, typed)
        if value is not None:
            start, end, _ = event_span(value)
            assert start < end and end > NOW and start < NOW + timedelta(days=MAX_DAYS_AHEAD + 1)


@given(st.sampled_from(["凌晨", "早上", "上午", "中午", "下午", "傍晚", "晚上", "全天"]), st.integers(0, 8))
def test_a_part_of_day_alone_is_kept_as_that_part_of_its_day(part, days_ahead):
    value = parsed(event_time, f"{(NOW + timedelta(days=days_ahead)):%Y-%m-%d} {part}")
    if value is not None:
        start, end, kept = event_span(value)
        assert kept == part and start.time().hour == 0 and NOW < end <= start + timedelta(days=1)


@given(st.integers(2020, 2030) | st.integers(1, 9999), st.integers(1, 12), st.integers(1, 31), st.integers(0, 24), st.integers(0, 59))
def test_no_event_is_accepted_in_the_past_or_more_than_a_year_ahead(year, month, day, hour, minute):
    moment = accepted(f"{year:04d}-{month:02d}-{day:02d} {hour}:{minute:02d}")
    assert moment is None or NOW < moment < NOW + timedelta(days=MAX_DAYS_AHEAD + 1)


@given(st.sampled_from(["凌晨", "早上", "上午", "中午", "下午", "傍晚", "晚上"]), st.integers(0, 24), st.booleans())
def test_an_accepted_hour_is_the_one_typed_in_the_half_of_the_day_its_period_names(period, hour, half):
    moment = accepted(f"明天 {period}{hour}点{'半' if half else ''}")
    if period in ("上午", "下午") and 1 <= hour <= 11:
        assert moment is not None
    if moment is not None:
        hours = (moment - TOMORROW).total_seconds() / 3600
        assert int(hours) % 12 == hour % 12
        if period in ("凌晨", "早上", "上午"):
            assert hours <= 12.5
        if period in ("下午", "傍晚", "晚上"):
            assert hours >= 12


# Article links and the length of every answer

ARTICLE_TITLE = "景洪法院集中清理涉民生案件"
LONGEST_LINK = "https://mp.weixin.qq.com/s/" + "a" * (MAX_URL - 27)
A_FEW_MESSAGES = 3 * TEXT_LIMIT_BYTES


def at_the_link(chat: Chat) -> None:
    chat.say("周报")
    chat.say_all(*REPORT, "跳过", "5", ARTICLE_TITLE)


@pytest.mark.parametrize(
    ("link", "reason"),
    [
        ("https://example.com/" + "a" * 200_000, "请控制在 2000 个字符以内"),
        (LONGEST_LINK + "a", "请控制在 2000 个字符以内"),
        ("http://.", "域名不完整"),
        ("http://a.", "域名不完整"),
        ("http://.com", "域名不完整"),
        ("https://mp..weixin.qq.com/s/abc", "域名不完整"),
        ("https://localhost/a", "域名不完整"),
        ("http://", "域名不完整"),
        ("https://example.com:80a/", "链接格式不对"),
        ("https://[example.com/", "链接格式不对"),
    ],
)
def test_an_overlong_link_or_one_without_a_real_host_is_refused_and_the_article_waits(jh1, bot, link, reason):
    at_the_link(jh1)
    before = draft(bot)
    reply = jh1.say(link)
    assert reason in reply and "请发送稿件链接" in reply
    assert draft(bot) == before


@pytest.mark.parametrize("link", [LONGEST_LINK, "http://10.1.2.3/a", "https://法院.中国/执行", "HTTPS://WWW.YNFY.GOV.CN:8443/a?b=1#c"])
def test_links_to_real_hosts_are_kept_as_typed(jh1, bot, link):
    at_the_link(jh1)
    jh1.say_all(link, "完成", "李华", "13800138000")
    assert "已提交" in jh1.say("确认")
    with Session(bot.engine) as session:
        assert [a.url for a in session.exec(select(Article))] == [link]


def test_the_longest_link_reaches_the_office_in_a_few_messages(wecom, jh1, messenger):
    at_the_link(jh1)
    jh1.say_all(LONGEST_LINK, "完成", "李华", "13800138000", "确认")
    reply = Chat(wecom, "admin1").say("查询 景洪")
    sent = [s.text for s in messenger.sent if s.target == "admin1"]
    assert len(sent) <= 2 and LONGEST_LINK in reply + "\n".join(sent).replace("\n", "")


def test_free_text_channels_are_capped(jh1, bot):
    jh1.say("预告")
    jh1.say_all(THEME, "12月1日 9:30")
    reply = jh1.say("抖音直播、" * 1000)
    assert "内容太长" in reply and "（3/6）" in reply
    assert "channels" not in draft(bot)["answers"]


@given(st.lists(st.from_regex(r"[a-z0-9-]{0,8}", fullmatch=True), min_size=1, max_size=4), st.sampled_from(["http", "https"]))
def test_a_link_needs_a_host_of_two_or_more_names_none_empty(labels, scheme):
    link = f"{scheme}://{'.'.join(labels)}/s/abc"
    assert (parsed(url, link) == link) == (len(labels) > 1 and all(labels))


@given(st.integers(0, 2 * MAX_URL))
def test_a_link_is_kept_up_to_its_length_limit(length):
    link = "https://example.com/" + "a" * length
    assert (parsed(url, link) == link) == (len(link) <= MAX_URL)


def every_field() -> list[Field]:
    fields = [f for form in (WEEKLY, NOTICE) for f in form.fields]
    return [sub for f in fields for sub in (f.fields if isinstance(f, Repeat) else (f,))]


@pytest.mark.parametrize("field", every_field(), ids=lambda field: field.key)
@pytest.mark.parametrize("answer", ["字" * 5000, "https://example.com/" + "字" * 5000, "抖音、" * 5000, "李华 13800138000 " + "字" * 5000, "1," * 5000])
def test_no_field_keeps_an_answer_longer_than_a_few_messages(field, answer):
    value = parsed(field.parse, answer)
    assert value is None or len(field.show(value, NOW).encode()) <= A_FEW_MESSAGES
