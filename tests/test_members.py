"""添加成员 / 移除成员: memberships kept in the database on top of the config's, through the encrypted webhook."""

from __future__ import annotations

from sqlmodel import Session

from bot.runtime import prepare_database
from handlers import texts as m
from storage.models import Membership


def source_of(bot, user_id):
    with Session(bot.engine) as session:
        row = session.get(Membership, user_id)
        return (row.unit_id, row.source) if row else None


def test_added_member_can_use_the_bot_and_survives_a_config_sync(wecom, bot):
    assert wecom.say("newbie", "帮助") == m.UNBOUND
    assert wecom.say("admin1", "添加成员 newbie 勐腊") == "已将 newbie 添加到勐腊县人民法院。"
    assert source_of(bot, "newbie") == ("mengla", "admin")
    assert "可用指令" in wecom.say("newbie", "帮助")
    prepare_database(bot.engine, bot.config)  # a restart re-syncs config members
    assert source_of(bot, "newbie") == ("mengla", "admin")
    assert "已将 newbie 从勐腊县人民法院调整到景洪市人民法院" in wecom.say("admin1", "添加成员 newbie 景洪")
    assert wecom.say("admin1", "添加成员 newbie 景洪") == "newbie 已是景洪市人民法院的成员。"


def test_config_members_cannot_be_moved_or_removed_from_the_chat(wecom, bot):
    assert wecom.say("admin1", "添加成员 jh1 勐腊") == "jh1 是配置文件中景洪市人民法院的成员，不能在聊天中调整，请修改配置文件。"
    assert wecom.say("admin1", "移除成员 jh1") == "jh1 是配置文件中景洪市人民法院的成员，不能在聊天中调整，请修改配置文件。"
    assert source_of(bot, "jh1") == ("jinghong", "config")


def test_remove_an_added_member(wecom, bot):
    wecom.say("admin1", "添加成员 newbie 景洪")
    assert wecom.say("admin1", "移除成员 newbie") == "已移除成员 newbie。"
    assert source_of(bot, "newbie") is None
    assert wecom.say("newbie", "帮助") == m.UNBOUND
    assert wecom.say("admin1", "移除成员 newbie") == "newbie 不是任何单位的成员。"


def test_bad_input_is_explained(wecom, bot):
    assert "添加成员 zhangsan 景洪" in wecom.say("admin1", "添加成员 zhangsan")
    assert "移除成员 zhangsan" in wecom.say("admin1", "移除成员")
    assert "不像企业微信账号" in wecom.say("admin1", "添加成员 张三 景洪")
    assert "没有找到单位“昆明”" in wecom.say("admin1", "添加成员 zhangsan 昆明")
    assert "对应多个单位" in wecom.say("admin1", "添加成员 zhangsan 法院")
    assert source_of(bot, "zhangsan") is None
