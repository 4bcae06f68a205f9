"""Commands and control words typed loosely on a phone are understood; form answers are stored as typed."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.forms import texts as t
from handlers.registry import build_router
from handlers.words import canonical, compact
from storage.models import Report, ReportRevision
from tests.support.chat import TYPED_ANSWERS, draft, fill_until_summary, notify, stored

ROUTER = build_router()
KEYWORDS = [k for c in ROUTER.commands for k in c.keywords]
WORD_KEYWORDS = [k for k in KEYWORDS if any(c.isalnum() for c in k)]  # `?` alone is read as itself, see below


@pytest.mark.parametrize("typed", ["周 报", "周报。", "“周报”", "「周报」！", "周报　", " 周报?", "\"周报\"。"])
def test_a_loosely_typed_keyword_opens_its_form(jh1, bot, typed):
    assert "开始填写" in jh1.say(typed)
    assert draft(bot)["meta"]["week"] == "2026-W48"


@pytest.mark.parametrize("typed", ["周报上周", "周报 上周", "周报　上周。", "周 报 上 周"])
def test_a_week_run_into_the_keyword_is_its_argument(jh1, bot, typed):
    assert "第47周" in jh1.say(typed)
    assert draft(bot)["meta"]["week"] == "2026-W47"


@pytest.mark.parametrize("typed", ["修改预告 ２", "修改预告２", "修改预告 2。", "“修改预告 2”"])
def test_a_full_width_or_glued_number_names_the_notice(jh1, typed):
    notify(jh1, "明天 9:30")
    notify(jh1, "12月3日 9:30")
    assert "1. 宣传主题" in jh1.say(typed) and "12月3日" in jh1.say("继续")


def test_a_loose_keyword_reaches_an_open_draft_as_the_keyword(jh1):
    jh1.say("周报")
    assert "回复 重来" in jh1.say("“周报”。")
    assert "（1/8）" in jh1.say("继续。")
    assert "（1/6）" in jh1.say("预 告！")


def test_admin_commands_are_read_the_same_way(wecom):
    assert "第47周" in wecom.say("admin1", "状态上周")
    assert "景洪市人民法院" in wecom.say("admin1", "查询 景洪。")
    assert "可用指令" in wecom.say("admin1", "？") and "可用指令" in wecom.say("admin1", "?")


def test_answers_are_stored_as_typed_and_a_keyword_at_their_start_is_no_command(jh1, bot):
    jh1.say("周报")
    assert "（2/8）" in jh1.say("“周报”工作进展顺利。")
    assert "（3/8）" in jh1.say("进度良好")  # 进度 is an admin keyword; here it is only an answer's first word
    assert draft(bot)["answers"] == {"summary": "“周报”工作进展顺利。", "measures": "进度良好"}


@pytest.mark.parametrize("word", ["提交", "确定", "好的", "确认。", "“确认”", "确 认"])
def test_unambiguous_words_confirm_at_the_summary(jh1, bot, word):
    fill_until_summary(jh1)
    assert jh1.say(word).startswith("已提交（按时）")
    assert len(stored(bot, Report)) == 1


@pytest.mark.parametrize("word", ["好", "是的", "可以", "行", "嗯", "好。"])
def test_ambiguous_words_ask_before_confirming(jh1, bot, word):
    fill_until_summary(jh1)
    assert jh1.say(word) == t.CONFIRM_ASK
    assert stored(bot, Report) == [] and draft(bot)["mode"] == "confirm"
    assert jh1.say("确认").startswith("已提交")


@pytest.mark.parametrize("yes", ["是的", "好", "是", "确认"])
def test_any_yes_to_the_question_submits(jh1, bot, yes):
    fill_until_summary(jh1)
    jh1.say("好")
    assert jh1.say(yes).startswith("已提交（按时）")
    assert len(stored(bot, Report)) == 1


def test_no_to_the_question_keeps_the_draft_at_its_summary(jh1, bot):
    fill_until_summary(jh1)
    jh1.say("可以")
    assert jh1.say("否") == t.NOT_CONFIRMED
    assert stored(bot, Report) == [] and draft(bot)["mode"] == "summary"
    assert jh1.say("好") == t.CONFIRM_ASK  # asked again, not taken as the earlier question's answer


def test_another_word_after_the_question_is_read_at_the_summary(jh1, bot):
    fill_until_summary(jh1)
    jh1.say("好")
    assert "（3/8）" in jh1.say("修改 3")


@pytest.mark.parametrize("typed", ["修改第3项", "改3", "修改3", "3", "修改 ３", "修改第 3 项。"])
def test_edit_is_understood_in_its_common_forms(jh1, typed):
    fill_until_summary(jh1)
    assert "（3/8）" in jh1.say(typed)
    assert "3. 宣传做法：新的做法" in jh1.say("新的做法")


def test_anything_else_at_the_summary_says_what_to_type_in_one_line(jh1, bot):
    fill_until_summary(jh1)
    assert jh1.say("我再看看") == t.SUMMARY_WHAT_TO_TYPE
    assert "修改 1–8" in jh1.say("修改 9")
    assert stored(bot, ReportRevision) == [] and draft(bot)["answers"]["summary"] == TYPED_ANSWERS[0]


@settings(max_examples=1000)
@given(st.text(max_size=40))
def test_normalising_is_idempotent(text):
    assert canonical(canonical(text)) == canonical(text)
    assert compact(compact(text)) == compact(text)


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@pytest.mark.parametrize("keyword", KEYWORDS)
def test_every_keyword_maps_to_its_command_once_normalised(keyword):
    assert ROUTER.match(canonical(keyword)).command is ROUTER.find(keyword)


@given(
    st.sampled_from(WORD_KEYWORDS),
    st.sampled_from(["", " ", "　", "“", "「", "\"", "《"]),
    st.sampled_from(["", "。", "！", "”", "?", "…", " ", "。”", "」。"]),
    st.booleans(),
    st.booleans(),
)
def test_a_decorated_keyword_still_maps_to_its_command(keyword, before, after, spaced, wide):
    typed = " ".join(keyword) if spaced else keyword
    typed = before + (_full_width(typed) if wide else typed) + after
    assert ROUTER.match(typed).command is ROUTER.find(keyword)
