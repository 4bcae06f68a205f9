"""Missed weeks and passed deadlines are said when a report is opened, through the encrypted webhook."""

from __future__ import annotations

import pytest

from tests.support.config import shanghai
from tests.support.factories import add_report

MONDAY = shanghai(2026, 11, 30, 9, 0)  # 2026-W49; the week before is 2026-W48


@pytest.fixture
def monday(clock):
    clock.set(MONDAY)
    return clock


def test_opening_this_week_mentions_last_week_never_reported(jh1, monday):
    opening = jh1.say("周报").splitlines()
    assert opening[0].startswith("开始填写 第49周")
    assert opening[1] == "提示：上周第48周（11月23日—29日）未报送周报，本周填完后请回复 周报 上周 补报。"
    assert opening[2].startswith("（1/8）")


def test_no_mention_when_last_week_was_reported(jh1, bot, monday):
    add_report(bot, "jinghong", "2026-W48", shanghai(2026, 11, 26, 10, 0))
    assert "周报 上周" not in jh1.say("周报")


def test_my_report_of_last_week_with_nothing_suggests_filling_it(jh1, monday):
    assert jh1.say("我的周报 上周").endswith("尚未提交周报。回复 周报 上周 开始填写。")
    assert jh1.say("我的周报").endswith("回复 周报 开始填写。")


def test_opening_after_the_deadline_says_it_will_be_late(jh1, monday):
    late = jh1.say("周报 上周")
    assert "提示：截止时间 11月27日（周五）12:00 已过，提交后将标记为逾期。" in late
    assert "补报" not in late


def test_opening_before_the_deadline_says_nothing_of_lateness(jh1, clock):
    clock.set(shanghai(2026, 11, 27, 11, 0))
    assert "逾期" not in jh1.say("周报")
    clock.set(shanghai(2026, 11, 27, 12, 30))
    assert "逾期" in jh1.say_all("取消", "是", "周报")
