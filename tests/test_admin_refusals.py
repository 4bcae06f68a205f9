"""Every admin keyword refuses a unit member politely and shows no data (an unbound user: see test_webhook)."""

from __future__ import annotations

import pytest

from handlers import texts as m
from tests.support.config import shanghai
from tests.support.factories import add_report

ADMIN_KEYWORDS = [
    "状态", "本周", "状态 上周", "未报", "历史 景洪", "查询 景洪", "预告列表", "导出", "添加成员 zs 景洪", "移除成员 jh2",
    "催报", "催报 勐腊", "退回 景洪 缺少稿件链接",
]


@pytest.mark.parametrize("text", ADMIN_KEYWORDS)
def test_a_member_is_refused_politely_with_no_data(wecom, bot, messenger, text):
    add_report(bot, "jinghong", "2026-W48", shanghai(2026, 11, 24, 9))
    assert wecom.say("jh1", text) == m.ADMINS_ONLY
    assert messenger.sent == []


def test_help_shows_admin_keywords_to_admins_only(wecom):
    assert "导出" in wecom.say("admin1", "帮助") and "添加成员" in wecom.say("admin1", "帮助")
    assert "导出" not in wecom.say("jh1", "帮助")


@pytest.mark.parametrize("text", ["周报", "我的预告", "修改预告 1"])
def test_an_admin_without_a_unit_gets_the_admin_help_not_a_referral_to_the_office(wecom, text):
    reply = wecom.say("admin1", text)
    assert reply.startswith(m.ADMIN_NO_UNIT) and "导出" in reply and "联系中院办公室" not in reply
