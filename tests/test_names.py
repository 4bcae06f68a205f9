"""People, not userids: names from the config, from 添加成员 and from WeCom's user/get, in every view."""

from __future__ import annotations

import io

import openpyxl
import pytest

from bot.runtime import build_bot, prepare_database, run_inline
from tests.support.chat import Chat, fill_until_summary, notify
from tests.support.config import EXAMPLE, make_config, shanghai
from tests.support.factories import add_report
from tests.support.live_server import run_bot
from tests.support.wecom_sim import wecom_for

NAMED_UNITS = [
    {"id": "jinghong", "name": "景洪市人民法院", "group": "jinghong", "members": [{"id": "jh1", "name": "李华", "phone": "13800138000"}, "jh2"]},
    {"id": "mengla", "name": "勐腊县人民法院", "group": "mengla", "members": [{"id": "ml1", "name": "玉香"}]},
]
WECOM_NAMES = {"jh1": "李华", "jh2": "张伟", "ml1": "玉香", "newbie": "王芳"}


@pytest.fixture
def named(db_url, messenger, clock):
    """A bot whose config names jh1 (with a phone) and ml1, and leaves jh2 a bare userid; no WeCom secret."""
    return build_bot(make_config(db_url, units=NAMED_UNITS), messenger=messenger, clock=clock, background=run_inline)


@pytest.fixture
def directory(db_url, messenger, clock, fake_wecom):
    """A bot with the app's secret, asking the fake WeCom for the names the test config does not give."""
    fake_wecom.names.update(WECOM_NAMES)
    config = make_config(db_url, wecom={"secret": "s3cret", "api_base_url": fake_wecom.base_url})
    return build_bot(config, messenger=messenger, clock=clock, background=run_inline)


def test_missing_lists_each_unit_with_names_phones_and_the_last_contact(named):
    add_report(named, "mengla", "2026-W46", shanghai(2026, 11, 13, 9), by="ml1", contact="岩罕", phone="13700001111")
    add_report(named, "mengla", "2026-W47", shanghai(2026, 11, 20, 9), by="ml1", contact="岩罕", phone="0691-2123456")
    add_report(named, "jinghong", "2026-W47", shanghai(2026, 11, 20, 9), by="jh1")  # 李华 13800138000, a member shown already
    assert wecom_for(named).say("admin1", "未报").splitlines() == [
        "第48周（11月23日—29日） 未报送 2 个单位：",
        "截止：11月27日（周五）12:00",
        "景洪市人民法院：李华 13800138000、jh2",
        "勐腊县人民法院：玉香",
        "　上次周报联系人：岩罕 0691-2123456",
    ]


def test_members_list_shows_names_with_the_accounts_admins_act_on(named):
    wecom = wecom_for(named)
    assert wecom.say("admin1", "成员列表").splitlines() == [
        "2 个单位的成员（姓名和企业微信账号）：",
        "景洪市人民法院：李华（jh1）、jh2",
        "勐腊县人民法院：玉香（ml1）",
    ]
    assert wecom.say("admin1", "成员列表 勐腊").splitlines()[1:] == ["勐腊县人民法院：玉香（ml1）"]
    assert "没有找到单位“昆明”" in wecom.say("admin1", "成员列表 昆明")
    assert "仅限中院办公室" in wecom.say("jh1", "成员列表")


def test_a_member_added_with_a_name_is_shown_by_it(named):
    wecom = wecom_for(named)
    assert wecom.say("admin1", "添加成员 newbie 勐腊 王芳") == "已将 王芳（newbie） 添加到勐腊县人民法院。"
    assert "勐腊县人民法院：玉香、王芳" in wecom.say("admin1", "未报")
    add_report(named, "mengla", "2026-W48", shanghai(2026, 11, 24, 9), by="newbie")
    assert "提交：11月24日（周二）09:00 王芳（按时）" in wecom.say("admin1", "查询 勐腊")
    assert wecom.say("admin1", "添加成员 newbie 景洪 王芳芳") == "已将 王芳芳（newbie） 从勐腊县人民法院调整到景洪市人民法院。"
    assert wecom.say("admin1", "移除成员 newbie") == "已移除成员 王芳芳（newbie）。"
    assert "是配置文件中" in wecom.say("admin1", "添加成员 jh2 景洪 张伟")  # config members are named in the config
    assert "姓名请在 30 字以内" in wecom.say("admin1", "添加成员 newbie 景洪 " + "长" * 31)


def test_names_replace_userids_in_reports_conflicts_and_the_workbook(named, messenger):
    wecom = wecom_for(named)
    jh1, jh2 = Chat(wecom, "jh1"), Chat(wecom, "jh2")
    fill_until_summary(jh2)
    fill_until_summary(jh1)
    jh1.say("确认")
    assert "周报已由 李华 于 11月25日（周三）10:00 更新为第 1 版" in jh2.say("确认")
    assert "第 1 版，李华 于 11月25日（周三）10:00 提交。" in jh2.say_all("放弃", "我的周报")
    assert "提交：11月25日（周三）10:00 李华（按时）" in wecom.say("admin1", "查询 景洪")
    wecom.say("admin1", "导出")
    summary = openpyxl.load_workbook(io.BytesIO(messenger.sent[-1].content))["汇总"]
    assert (summary["D2"].value, summary["A3"].value, summary["D3"].value, summary["D4"].value) == ("提交人", "景洪市人民法院", "李华", None)


def test_a_notice_withdrawn_meanwhile_names_who_withdrew_it(named):
    wecom = wecom_for(named)
    jh1, jh2 = Chat(wecom, "jh1"), Chat(wecom, "jh2")
    notify(jh2, "12月3日 9:30")
    jh2.say_all("修改预告 1", "修改 1", "改过的主题")
    jh1.say_all("撤回预告 1", "确认")
    assert "该预告在您修改期间已被 李华 撤回" in jh2.say("确认")


def test_a_name_is_asked_of_wecom_once_then_again_after_a_week(directory, fake_wecom, clock):
    wecom = wecom_for(directory)
    assert "景洪市人民法院：jh1、jh2" in wecom.say("admin1", "成员列表")  # asked after this reply
    assert fake_wecom.looked_up() == ["jh1", "jh2", "ml1"]
    assert fake_wecom.calls_to("user/get")[0].query["access_token"] == "TOKEN"  # the token from api_base_url too
    assert "景洪市人民法院：李华（jh1）、张伟（jh2）" in wecom.say("admin1", "成员列表")
    assert "景洪市人民法院：李华、张伟" in wecom.say("admin1", "未报")
    assert len(fake_wecom.looked_up()) == 3  # cached: no call
    fake_wecom.names["jh2"] = "张伟伟"
    clock.advance(days=6, hours=23)
    assert "张伟（jh2）" in wecom.say("admin1", "成员列表") and len(fake_wecom.looked_up()) == 3
    clock.advance(hours=1)
    assert "张伟（jh2）" in wecom.say("admin1", "成员列表")  # shown as known, asked again after the reply
    assert fake_wecom.looked_up()[3:] == ["jh1", "jh2", "ml1"]
    assert "张伟伟（jh2）" in wecom.say("admin1", "成员列表")


def test_a_member_added_without_a_name_gets_wecom_s(directory, fake_wecom):
    wecom = wecom_for(directory)
    assert wecom.say("admin1", "添加成员 newbie 勐腊") == "已将 newbie 添加到勐腊县人民法院。"
    assert "newbie" in fake_wecom.looked_up()
    assert "勐腊县人民法院：玉香（ml1）、王芳（newbie）" in wecom.say("admin1", "成员列表 勐腊")
    assert wecom.say("admin1", "添加成员 stranger 勐腊") == "已将 stranger 添加到勐腊县人民法院。"
    calls = len(fake_wecom.looked_up())
    assert "王芳（newbie）、stranger" in wecom.say("admin1", "成员列表 勐腊")  # WeCom knows no such member (60111)
    assert len(fake_wecom.looked_up()) == calls  # an answer, not a failure: asked again in a week only


OUTAGES = [(503, None), (200, {"errcode": -1, "errmsg": "system busy"}), (200, {"errcode": 60020, "errmsg": "not allow to access from your ip"})]


@pytest.mark.parametrize("outage", OUTAGES, ids=["http-503", "busy", "ip-not-trusted"])
def test_a_failing_wecom_shows_userids_and_is_asked_again_an_hour_later(directory, fake_wecom, clock, outage):
    wecom = wecom_for(directory)
    fake_wecom.outages["user/get"] = outage
    assert wecom.say("admin1", "成员列表").splitlines()[1:] == ["景洪市人民法院：jh1、jh2", "勐腊县人民法院：ml1"]
    assert fake_wecom.looked_up() == ["jh1"]  # the first failure leaves the rest for later
    clock.advance(minutes=59)
    assert "景洪市人民法院：jh1、jh2" in wecom.say("admin1", "未报")
    assert fake_wecom.looked_up() == ["jh1"]
    del fake_wecom.outages["user/get"]
    clock.advance(minutes=1)
    wecom.say("admin1", "成员列表")
    assert "景洪市人民法院：李华（jh1）、张伟（jh2）" in wecom.say("admin1", "成员列表")


def test_config_names_win_and_a_name_dropped_from_the_config_is_asked_of_wecom(db_url, messenger, clock, fake_wecom):
    fake_wecom.names.update(WECOM_NAMES | {"jh1": "李华（企业微信）"})
    config = make_config(db_url, units=NAMED_UNITS, wecom={"secret": "s3cret", "api_base_url": fake_wecom.base_url})
    bot = build_bot(config, messenger=messenger, clock=clock, background=run_inline)
    wecom = wecom_for(bot)
    wecom.say("admin1", "成员列表")
    assert fake_wecom.looked_up() == ["jh2"]  # jh1 and ml1 are named in the config
    assert "李华（jh1）、张伟（jh2）" in wecom.say("admin1", "成员列表")
    unnamed = [dict(unit, members=["jh1", "jh2"]) if unit["id"] == "jinghong" else unit for unit in NAMED_UNITS]
    prepare_database(bot.engine, make_config(db_url, units=unnamed))  # a restart with jh1's name taken out
    wecom.say("admin1", "成员列表")
    assert fake_wecom.looked_up() == ["jh2", "jh1"]
    assert "李华（企业微信）（jh1）" in wecom.say("admin1", "成员列表")


def test_cli_chat_shows_the_example_config_s_names(tmp_path):
    stdin = "成员列表\n添加成员 ml_new 勐腊 玉香\n成员列表 勐腊\n"
    result = run_bot("--config", str(EXAMPLE), "chat", "--user", "office_admin", cwd=tmp_path, stdin=stdin)
    assert result.returncode == 0, result.stderr
    assert "景洪市人民法院：李华（jh_reporter）" in result.stdout and "勐腊县人民法院：ml_reporter" in result.stdout
    assert "已将 玉香（ml_new） 添加到勐腊县人民法院。" in result.stdout
    assert "勐腊县人民法院：玉香（ml_new）、ml_reporter" in result.stdout


def test_chasing_and_sending_back_name_the_people_told(named):
    wecom = wecom_for(named)
    chased = wecom.say("admin1", "催报 勐腊")
    assert "勐腊县人民法院：已提醒 玉香" in chased and "ml1" not in chased
    fill_until_summary(Chat(wecom, "jh1"))
    Chat(wecom, "jh1").say("确认")
    assert "已通知该单位群及提交人 李华" in wecom.say("admin1", "退回 景洪 缺少稿件链接")
