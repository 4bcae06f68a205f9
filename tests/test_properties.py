"""Property-based tests: every parser and the form engine, on random input, never crash or lose an answer."""

from __future__ import annotations

import itertools
import string
from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.runtime import FAILED, build_bot, run_inline
from common.channels import NOTICE_CHANNELS
from common.weeks import parse_week, week_of
from handlers.advance_notice import NOTICE
from handlers.base import Incoming
from handlers.forms.fields import ANSWER_SLOT, Invalid, NeedMore, choices, person_and_phone, phone, url
from handlers.forms.when import event_span, event_time
from handlers.weekly_report import WEEKLY
from storage.conversations import end_conversation, load_conversations
from storage.engine import session_scope
from tests.support.config import make_config, shanghai
from tests.support.fakes import FakeClock, FakeMessenger

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=TZ)
ANY_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)
SEPARATORS = st.sampled_from(["", " ", "-"])


def parses_or_refuses(parser, text):
    try:
        return parser(text, NOW)
    except Invalid as exc:
        assert str(exc)  # a refusal always explains itself
        return None


@given(ANY_TEXT)
def test_parsers_never_crash_on_any_text(text):
    for parser in (phone, url, event_time, choices(NOTICE_CHANNELS), person_and_phone):
        parses_or_refuses(parser, text)
    parse_week(text)  # a week or None, never an exception; which texts it reads: the week tests below


@given(st.sampled_from("3456789"), st.text(alphabet=string.digits, min_size=9, max_size=9), SEPARATORS)
def test_any_mainland_mobile_is_accepted_and_normalised(second, rest, sep):
    number = f"1{second}{rest}"
    typed = sep.join([number[:3], number[3:7], number[7:]])
    assert phone(typed, NOW) == number


@given(st.sampled_from(["0691", "010", "0871"]), st.text(alphabet=string.digits, min_size=7, max_size=8), st.sampled_from(["-", " ", ""]))
def test_any_landline_with_area_code_is_accepted(area, local, sep):
    assert phone(f"{area}{sep}{local}", NOW) == f"{area}-{local}"


@given(st.sampled_from(["http", "https"]), st.from_regex(r"[a-z0-9]{1,12}\.(cn|com|gov\.cn)", fullmatch=True), st.from_regex(r"(/[A-Za-z0-9_]{0,10}){0,3}",
                                                                                                                             fullmatch=True))
def test_http_urls_are_accepted_unchanged(scheme, host, path):
    link = f"{scheme}://{host}{path}"
    assert url(link, NOW) == link


@given(st.integers(min_value=1, max_value=300), st.integers(min_value=0, max_value=23), st.integers(min_value=0, max_value=59), st.sampled_from(["iso",
                                                                                                                                                 "chinese"]))
def test_future_moments_round_trip_in_every_written_form(days_ahead, hour, minute, style):
    moment = (NOW + timedelta(days=days_ahead)).replace(hour=hour, minute=minute)
    typed = f"{moment:%Y-%m-%d %H:%M}" if style == "iso" else f"{moment.year}年{moment.month}月{moment.day}日 {hour}:{minute:02d}"
    assert event_time(typed, NOW) == {"start": moment.isoformat(), "end": None, "part": None}


@given(st.lists(st.integers(min_value=1, max_value=len(NOTICE_CHANNELS)), min_size=1, max_size=5), st.sampled_from([",", "，", "、", " "]))
def test_channel_numbers_map_to_the_plans_channels(numbers, sep):
    picked = choices(NOTICE_CHANNELS)(sep.join(map(str, numbers)), NOW)
    assert picked == list(dict.fromkeys(NOTICE_CHANNELS[n - 1] for n in numbers))


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_week_names_round_trip(day):
    assert parse_week(week_of(day)) == week_of(day)


# The calendar ends with date.max, 9999-12-31, a Friday of 9999-W52: the week after 9999-W51 ends beyond it, so the
# last week read is 9999-W50, the weeks either side of a week being read with it (common/weeks.py plannable;
# tests/test_week_range.py asks what the bot answers at both ends).
LAST_WEEK_READ = date(9999, 12, 19)  # the Sunday of 9999-W50
FOUR_DIGIT_ISO_YEARS = st.dates(min_value=date(1000, 1, 10), max_value=LAST_WEEK_READ)


@example(LAST_WEEK_READ, "-", "W", True, "")
@given(FOUR_DIGIT_ISO_YEARS, st.sampled_from(["-", ""]), st.sampled_from("Ww"), st.booleans(), st.sampled_from(["", " ", "\t"]))
def test_a_week_is_read_however_it_is_written(day, dash, w, padded, space):
    year, number, _ = day.isocalendar()
    typed = f"{space}{year}{dash}{w}{number:02d}{space}" if padded else f"{space}{year}{dash}{w}{number}{space}"
    assert parse_week(typed) == week_of(day)


@example(9999, 50)
@example(9999, 51)
@example(2026, 53)
@example(2020, 53)
@given(st.integers(min_value=1000, max_value=9999), st.integers(min_value=0, max_value=99))
def test_a_week_number_is_read_only_when_the_year_has_that_week(year, number):
    weeks_in_year = date(year, 12, 28).isocalendar()[1]  # 52, or 53 in a long year
    readable = 1 <= number <= weeks_in_year and date.fromisocalendar(year, number, 1) <= LAST_WEEK_READ
    assert parse_week(f"{year}-W{number}") == (f"{year}-W{number:02d}" if readable else None)


# Event times: ranges, whole days and the 1–6点 question (handlers/forms/when.py)

DAYS_AHEAD = st.integers(min_value=1, max_value=150)  # within half a year: a date typed without its year is read, not asked about
RANGE_MARKS = st.sampled_from(["-", " - ", "至", "到", "~", "—"])
HALVES = {"上午": 0, "下午": 12}


def typed_day(days_ahead: int) -> tuple[datetime, str]:
    """The local midnight `days_ahead` days after NOW, and the day as a clerk types it (12月3日)."""
    day = NOW.date() + timedelta(days=days_ahead)
    return datetime(day.year, day.month, day.day, tzinfo=TZ), f"{day.month}月{day.day}日"


def clock_text(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


@given(DAYS_AHEAD, st.integers(min_value=0, max_value=24 * 60 - 1), st.integers(min_value=1, max_value=24 * 60), RANGE_MARKS)
def test_a_time_range_is_stored_as_its_start_and_end(days_ahead, start, length, mark):
    midnight, day = typed_day(days_ahead)
    end = min(start + length, 24 * 60)  # 24:00 ends the day
    value = event_time(f"{day} {clock_text(start)}{mark}{clock_text(end)}", NOW)
    assert event_span(value) == (midnight + timedelta(minutes=start), midnight + timedelta(minutes=end), None)


@given(DAYS_AHEAD, st.integers(min_value=0, max_value=30), st.sampled_from(["至", "到", "-", "~"]), st.booleans())
def test_a_range_of_days_is_whole_days_from_the_first_to_the_last(days_ahead, length, mark, month_given):
    first, day = typed_day(days_ahead)
    last = first + timedelta(days=length)
    last_typed = f"{last.month}月{last.day}日" if month_given or last.month != first.month else f"{last.day}日"
    value = event_time(f"{day}{mark}{last_typed}", NOW)
    assert event_span(value) == (first, last + timedelta(days=1), "全天")


@given(DAYS_AHEAD)
def test_a_whole_day_is_the_day_from_midnight_to_midnight(days_ahead):
    midnight, day = typed_day(days_ahead)
    assert event_span(event_time(f"{day} 全天", NOW)) == (midnight, midnight + timedelta(days=1), "全天")


@given(DAYS_AHEAD, st.integers(min_value=1, max_value=6), st.booleans(), st.none() | st.integers(min_value=7, max_value=11),
       st.sampled_from(sorted(HALVES)), st.booleans())
def test_an_hour_from_1_to_6_is_asked_about_and_either_answer_gives_the_time_it_names(days_ahead, hour, half, end_hour, answer, spelled):
    midnight, day = typed_day(days_ahead)
    said = f"{'一二三四五六'[hour - 1] if spelled else hour}点{'半' if half else ''}"
    typed = f"{day} {said}" + (f"-{end_hour}点" if end_hour else "")
    with pytest.raises(NeedMore) as asked:
        event_time(typed, NOW)
    assert f"“{said}”是上午还是下午" in str(asked.value) and ANSWER_SLOT in asked.value.partial
    start, end, part = event_span(event_time(asked.value.partial.replace(ANSWER_SLOT, answer), NOW))
    assert start == midnight + timedelta(hours=hour + HALVES[answer], minutes=30 if half else 0) and part is None
    assert end == (midnight + timedelta(hours=end_hour + HALVES[answer]) if end_hour else None)
    assert end is None or end > start


DATE_WORDS = ["12月3日", "12.3", "12/3", "12-03", "３号", "明天", "明早", "后天", "下周三", "周一", "十二月三日", "2026-12-03", "1月5日"]
TIME_WORDS = ["9:30", "3点", "三点半", "下午3点", "上午", "全天", "9:30-11:30", "3点-5点", "九点-十一点", "3点至17点", "至5日", "至12月5日",
              "15:00到17:00", "晚上12点", "24:00", "-", "至", "半"]
FOLLOW_UPS = ["上午", "下午", "晚上", "凌晨", "9:30", "3点", "12月4日", "全天"]


@given(st.lists(st.sampled_from(DATE_WORDS + TIME_WORDS), max_size=4), st.sampled_from(["", " "]), st.lists(st.sampled_from(FOLLOW_UPS), max_size=2))
def test_event_times_pieced_together_are_read_or_refused_with_a_reason_and_follow_ups_too(pieces, space, follow_ups):
    partial = None
    for answer in [space.join(pieces), *follow_ups]:
        typed = partial.replace(ANSWER_SLOT, answer) if partial and ANSWER_SLOT in partial else answer
        try:
            start, end, _ = event_span(event_time(typed, NOW))
        except NeedMore as more:
            assert str(more) and more.partial
            partial = more.partial
            continue
        except Invalid as refusal:
            assert str(refusal)
            continue
        assert (end or start) > NOW and (end is None or end > start)


COMMANDS = ["周报", "预告", "跳过", "上一步", "取消", "是", "否", "帮助", "继续", "重来", "确认", "完成", "保留", "1", "修改 3", "修改 6", "修改 99",
            "我的周报", "我的预告"]
SAMPLE_ANSWERS = ["简介", "https://example.com/a", "3", "13800138000", "李华 13800138000", "明天 9:30", "12月1日", "下午3点", "1,3", "", "x" * 2001,
                  "0691-2123456", "标题", "12月3日 9:30-11:30", "12月4日至5日", "全天", "12月3日 3点-5点", "上午", "下午",
                  "报纸", "傣乡法苑", "公众号", "西双版纳报 11月24日 第3版", "weibo.com/123456", "标题 https://weibo.com/1", "是",
                  "删除 1", "修改 1", "添加", "无"]
SHARED_LINK = Incoming("jh1", "", kind="link", title="景洪法院发布失信名单", url="https://mp.weixin.qq.com/s/shared1")
MESSAGE_IDS = itertools.count()
ENDINGS = {"重来", "是", "确认", "周报", "预告"}


@pytest.fixture(scope="module")
def engine_bot(tmp_path_factory):
    db = tmp_path_factory.mktemp("prop") / "bot.db"
    return build_bot(make_config(f"sqlite:///{db}"), messenger=FakeMessenger(), clock=FakeClock(shanghai(2026, 11, 25, 10)), background=run_inline)


def draft_answers(bot) -> dict[str, set]:
    """The keys answered in each open draft, by form (an offer to add a shared link is no draft)."""
    with session_scope(bot.engine) as session:
        rows = load_conversations(session=session, user_id="jh1")
        return {row.form: set(row.state["answers"]) for row in rows if row.form in (WEEKLY.name, NOTICE.name)}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(COMMANDS) | st.sampled_from(SAMPLE_ANSWERS) | ANY_TEXT | st.just(SHARED_LINK), max_size=25))
def test_random_conversations_never_crash_and_never_drop_an_accepted_answer(engine_bot, messages):
    with session_scope(engine_bot.engine) as session:
        for form in draft_answers(engine_bot):
            end_conversation(session=session, user_id="jh1", form=form)
    for message in messages:
        incoming = message if isinstance(message, Incoming) else Incoming("jh1", message)
        before = draft_answers(engine_bot)
        reply = engine_bot.handle(replace(incoming, key=f"prop:{next(MESSAGE_IDS)}"))
        assert reply is not None and reply.text != FAILED
        after = draft_answers(engine_bot)
        if incoming.text.strip() not in ENDINGS:
            for form, keys in before.items():
                assert keys <= after.get(form, set()), f"{message!r} dropped {keys - after.get(form, set())} of {form}"
