"""Property-based tests: every parser and the form engine, on random input, never crash or lose an answer."""

from __future__ import annotations

import itertools
import string
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.runtime import FAILED, build_bot, run_inline
from common.channels import NOTICE_CHANNELS
from common.weeks import parse_week, week_of
from handlers.base import Incoming
from handlers.forms.fields import Invalid, choices, person_and_phone, phone, url
from handlers.forms.when import event_time
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


FOUR_DIGIT_ISO_YEARS = st.dates(min_value=date(1000, 1, 10), max_value=date(9999, 12, 20))


@given(FOUR_DIGIT_ISO_YEARS, st.sampled_from(["-", ""]), st.sampled_from("Ww"), st.booleans(), st.sampled_from(["", " ", "\t"]))
def test_a_week_is_read_however_it_is_written(day, dash, w, padded, space):
    year, number, _ = day.isocalendar()
    typed = f"{space}{year}{dash}{w}{number:02d}{space}" if padded else f"{space}{year}{dash}{w}{number}{space}"
    assert parse_week(typed) == week_of(day)


@given(st.integers(min_value=1000, max_value=9999), st.integers(min_value=0, max_value=99))
def test_a_week_number_is_read_only_when_the_year_has_that_week(year, number):
    weeks_in_year = date(year, 12, 28).isocalendar()[1]  # 52, or 53 in a long year
    assert parse_week(f"{year}-W{number}") == (f"{year}-W{number:02d}" if 1 <= number <= weeks_in_year else None)


COMMANDS = ["周报", "预告", "跳过", "上一步", "取消", "是", "否", "帮助", "继续", "重来", "确认", "完成", "保留", "1", "修改 3", "修改 6", "修改 99",
            "我的周报", "我的预告"]
SAMPLE_ANSWERS = ["简介", "https://example.com/a", "3", "13800138000", "李华 13800138000", "明天 9:30", "12月1日", "下午3点", "1,3", "", "x" * 2001,
                  "0691-2123456", "标题"]
MESSAGE_IDS = itertools.count()
ENDINGS = {"重来", "是", "确认", "周报", "预告"}


@pytest.fixture(scope="module")
def engine_bot(tmp_path_factory):
    db = tmp_path_factory.mktemp("prop") / "bot.db"
    return build_bot(make_config(f"sqlite:///{db}"), messenger=FakeMessenger(), clock=FakeClock(shanghai(2026, 11, 25, 10)), background=run_inline)


def draft_answers(bot) -> dict[str, set]:
    """The keys answered in each open draft, by form."""
    with session_scope(bot.engine) as session:
        return {row.form: set(row.state["answers"]) for row in load_conversations(session=session, user_id="jh1")}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(COMMANDS) | st.sampled_from(SAMPLE_ANSWERS) | ANY_TEXT, max_size=25))
def test_random_conversations_never_crash_and_never_drop_an_accepted_answer(engine_bot, messages):
    with session_scope(engine_bot.engine) as session:
        for form in draft_answers(engine_bot):
            end_conversation(session=session, user_id="jh1", form=form)
    for text in messages:
        before = draft_answers(engine_bot)
        reply = engine_bot.handle(Incoming("jh1", text, key=f"prop:{next(MESSAGE_IDS)}"))
        assert reply is not None and reply.text != FAILED
        after = draft_answers(engine_bot)
        if text.strip() not in ENDINGS:
            for form, keys in before.items():
                assert keys <= after.get(form, set()), f"{text!r} dropped {keys - after.get(form, set())} of {form}"
