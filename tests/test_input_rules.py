"""What users may type: invisible characters, article links and event dates, through the encrypted webhook."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import Session, select

from handlers.base import clean_text
from storage.models import Conversation, ReportRevision
from tests.chat import Chat
from tests.conftest import shanghai
from tests.factories import add_notice
from tests.scheduling import service_for

REPORT = ("本周开展集中执行行动 2 次", "联合州电视台开展执行直播", "执行干警现场讲解", "直播观看 2.3 万人次")
INVISIBLE = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u200e", "\u200f", "\u202a", "\u202e", "\u2066", "\u2069", "\u00ad")


@pytest.fixture
def jh1(wecom):
    return Chat(wecom, "jh1")


def draft(bot, user: str = "jh1") -> dict | None:
    with Session(bot.engine) as session:
        row = session.get(Conversation, user)
        return row.state if row else None


def report_summary(chat: Chat) -> str:
    """A whole weekly report typed up to its summary, without articles."""
    chat.say("周报")
    chat.say_all(*REPORT)
    chat.say_all("跳过", "完成", "李华")
    return chat.say("13800138000")


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


THEME, MEDIA, LIAISON = "涉民生案件集中执行行动", "西双版纳电视台", "李华 13800138000"


def notice_summary(chat: Chat, when: str) -> str:
    chat.say("预告")
    chat.say_all(THEME, when, "1,3", MEDIA, LIAISON)
    return chat.say("跳过")


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
    assert listing[1].startswith("12-30 15:00") and listing[2].startswith("2027-01-02 09:00")
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
