"""Binding a WeChat follower to a member: codes issued by admins (chat and CLI), wrong, expired and reused codes,
guessing bounded, unbinding, following again, and admins on WeChat."""

from __future__ import annotations

import re
import threading

from sqlmodel import Session, select

from storage.models import BindCode, Follower
from tests.support.live_server import run_bot, write_config
from tests.support.threads import run_together
from tests.support.wechat_sim import wechat_for
from tests.support.wecom_sim import wecom_for

CODE = re.compile(r"绑定码：(\d{6})")


def code_for(wechat_bot, user_id: str) -> str:
    """An admin asks for the member's code in WeCom, as they would; the code."""
    reply = wecom_for(wechat_bot).say("admin1", f"绑定码 {user_id}")
    return CODE.search(reply).group(1)


def test_an_admin_issues_a_code_in_wecom_and_the_member_binds_on_wechat(wechat, wechat_bot, clock):
    reply = wecom_for(wechat_bot).say("admin1", "绑定码 jh1")
    assert "jh1的微信绑定码" in reply and "有效至 11月26日（周四）10:00，仅可使用一次" in reply
    code = CODE.search(reply).group(1)
    assert f"发送：绑定 {code}" in reply
    welcome = wechat.say("oJH1", f"绑定 {code}")
    assert welcome.startswith("绑定成功：jh1（景洪市人民法院）") and "周报 — 填报本周执行宣传工作周报" in welcome
    assert "开始填写 第48周" in wechat.say("oJH1", "周报")
    listing = wecom_for(wechat_bot).say("admin1", "绑定列表")
    assert listing == "已绑定微信公众号 1 人（单位：姓名（账号），绑定时间）：\n景洪市人民法院：jh1，11月25日（周三）10:00"


def test_codes_are_typed_loosely_but_only_six_digits_bind(wechat, wechat_bot):
    code = code_for(wechat_bot, "jh1")
    assert "请发送：绑定 绑定码（6位数字）" in wechat.say("oJH1", "绑定")
    assert "请发送：绑定 绑定码（6位数字）" in wechat.say("oJH1", "绑定 12345")
    full_width = code.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert "绑定成功" in wechat.say("oJH1", f"“绑定{full_width}”")


def test_wrong_expired_and_reused_codes_are_refused(wechat, wechat_bot, clock):
    code = code_for(wechat_bot, "jh1")
    wrong = "000000" if code != "000000" else "111111"
    assert "绑定码不正确或已使用" in wechat.say("oJH1", f"绑定 {wrong}")
    assert "绑定成功" in wechat.say("oJH1", f"绑定 {code}")
    assert "绑定码不正确或已使用" in wechat.say("oOTHER", f"绑定 {code}")  # used once already
    late = code_for(wechat_bot, "jh2")
    clock.advance(hours=24)
    assert "该绑定码已过期（有效期24小时）" in wechat.say("oJH2", f"绑定 {late}")
    with Session(wechat_bot.engine) as session:
        assert [(f.openid, f.user_id) for f in session.exec(select(Follower))] == [("oJH1", "jh1")]


def test_guessing_is_stopped_after_five_wrong_codes_for_an_hour(wechat, wechat_bot, clock):
    code = code_for(wechat_bot, "jh1")
    wrong = [f"{n:06d}" for n in range(10) if f"{n:06d}" != code][:5]
    for guess in wrong:
        assert "绑定码不正确" in wechat.say("oGUESS", f"绑定 {guess}")
    assert "错误次数过多，请1小时后再试" in wechat.say("oGUESS", f"绑定 {code}")  # even the right one, while it lasts
    assert "绑定成功" in wechat.say("oJH1", f"绑定 {code}")  # another follower is not held up
    clock.advance(hours=1)
    assert "绑定码不正确" in wechat.say("oGUESS", f"绑定 {wrong[0]}")


def test_only_members_and_admins_get_codes_and_a_new_code_replaces_the_old(wechat, wechat_bot):
    admin = wecom_for(wechat_bot)
    assert admin.say("admin1", "绑定码 nobody") == "nobody 不是任何单位的成员，也不是管理员，不能绑定微信。请先用 添加成员 添加。"
    assert admin.say("admin1", "绑定码") == "请写成员的企业微信账号，如：绑定码 jh_reporter（账号见 成员列表）"
    assert "仅限中院办公室管理员" in wecom_for(wechat_bot).say("jh1", "绑定码 jh1")
    first, second = code_for(wechat_bot, "jh1"), code_for(wechat_bot, "jh1")
    with Session(wechat_bot.engine) as session:
        assert [c.code for c in session.exec(select(BindCode))] == [second]
    if first != second:
        assert "绑定码不正确" in wechat.say("oJH1", f"绑定 {first}")


def test_an_admin_bound_on_wechat_is_an_admin_there(wechat, bind):
    openid = bind("admin1", "oADMIN")
    assert "状态" in wechat.say(openid, "帮助")
    assert "景洪市人民法院" in wechat.say(openid, "状态")
    assert wechat.say(openid, "绑定") == "本微信已绑定 admin1（中院办公室）。如需改绑，请先发送 解绑。"


def test_unbinding_on_wechat_in_wecom_and_by_an_admin(wechat, wechat_bot, bind):
    openid = bind("jh1")
    assert wechat.say(openid, "解绑") == "已解除本微信与 jh1（景洪市人民法院）的绑定。如需重新绑定，请向中院办公室索取绑定码。"
    assert "您尚未绑定" in wechat.say(openid, "周报")
    bind("jh1")
    wecom = wecom_for(wechat_bot)
    assert wecom.say("jh1", "解绑") == "已解除您的微信公众号绑定。"
    assert wecom.say("jh1", "解绑") == "您未绑定微信公众号。"
    assert wecom.say("jh1", "绑定 123456") == "绑定码请在本院微信公众号中发送：绑定 绑定码。"
    bind("jh2")
    assert wecom.say("jh1", "解绑 jh2") == "解除他人的绑定仅限中院办公室管理员；解除自己的绑定请发送：解绑"
    assert wecom.say("admin1", "解绑 jh2") == "已解除 jh2 的微信公众号绑定。"
    assert wecom.say("admin1", "绑定列表") == "尚无成员绑定微信公众号。"


def test_a_member_binding_another_wechat_leaves_the_first(wechat, bind):
    old = bind("jh1", "oOLDPHONE")
    bind("jh1", "oNEWPHONE")
    assert "您尚未绑定" in wechat.say(old, "周报")
    assert "开始填写" in wechat.say("oNEWPHONE", "周报")


def test_unfollowing_is_recorded_and_following_again_greets_with_the_members_help(wechat, wechat_bot, bind):
    openid = bind("jh1")
    assert wechat.event(openid, "unsubscribe") == ""
    assert wecom_for(wechat_bot).say("admin1", "绑定列表").endswith("jh1，11月25日（周三）10:00（已取消关注）")
    welcome = wechat.event(openid, "subscribe")
    assert welcome.startswith("您好，欢迎使用。") and "周报 — 填报" in welcome
    assert wecom_for(wechat_bot).say("admin1", "绑定列表").endswith("jh1，11月25日（周三）10:00")


def test_bind_code_from_the_command_line(tmp_path):
    wechat = '\n[wechat]\napp_id = "wxd930ea5d5a258f4f"\napp_secret = ""\ntoken = "wechatToken2026"\n'
    config = write_config(tmp_path, db_url=f"sqlite:///{tmp_path}/bot.db", extra=wechat)
    done = run_bot("--config", str(config), "bind-code", "jh_reporter", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert re.fullmatch(r"李华（jh_reporter）的微信绑定码：\d{6}\n有效至 .+，仅可使用一次。请其关注本院微信公众号，发送：绑定 \d{6}\n", done.stdout)
    unknown = run_bot("--config", str(config), "bind-code", "nobody", cwd=tmp_path)
    assert unknown.returncode == 2 and "nobody 不是任何单位的成员" in unknown.stderr
    off = run_bot("--config", str(write_config(tmp_path, db_url=f"sqlite:///{tmp_path}/bot.db")), "bind-code", "jh_reporter", cwd=tmp_path)
    assert off.returncode == 2 and "[wechat]" in off.stderr


def test_two_followers_sending_one_code_at_once_bind_one(wechat_bot, fake_wechat):
    code = code_for(wechat_bot, "jh1")
    barrier = threading.Barrier(2)

    def send(openid: str):
        def post() -> str:
            sim = wechat_for(wechat_bot, fake_wechat)
            barrier.wait(10)
            return sim.say(openid, f"绑定 {code}")

        return post

    replies = sorted(run_together(send("oFIRST"), send("oSECOND")))
    assert [reply.split("：")[0] for reply in replies] == ["绑定成功", "绑定码不正确或已使用。请核对后重新发送，或向中院办公室索取新的绑定码。"]
    with Session(wechat_bot.engine) as session:
        assert [f.user_id for f in session.exec(select(Follower))] == ["jh1"]
