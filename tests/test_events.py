"""Events from WeCom: a new follower is greeted with their help, opening the app is silent, voice gets a clear answer."""

from __future__ import annotations

import pytest

from tests.support.wecom_sim import event_xml, media_xml


def send_event(wecom, clock, user: str, event: str) -> str:
    response = wecom.post(event_xml(user, event, int(clock().timestamp())))
    assert response.status_code == 200
    return wecom.decrypt_reply(response)


def test_subscribe_greets_a_member_with_the_members_help(wecom, clock):
    reply = send_event(wecom, clock, "jh1", "subscribe")
    assert reply.startswith("您好，欢迎使用") and "周报" in reply
    assert "暂不支持" not in reply and "未能识别" not in reply and "状态" not in reply


def test_subscribe_greets_an_admin_with_the_admin_commands(wecom, clock):
    reply = send_event(wecom, clock, "admin1", "subscribe")
    assert reply.startswith("您好，欢迎使用") and "状态" in reply


def test_subscribe_of_a_user_without_a_unit_tells_them_whom_to_ask(wecom, clock):
    assert "中院办公室" in send_event(wecom, clock, "stranger", "subscribe")


@pytest.mark.parametrize("event", ["enter_agent", "click", "LOCATION"])
def test_opening_the_app_and_other_events_get_no_reply(wecom, clock, event):
    assert send_event(wecom, clock, "jh1", event) == ""


def test_opening_the_app_leaves_an_open_draft_alone(wecom, clock):
    question = wecom.say("jh1", "周报").splitlines()[-1]
    assert send_event(wecom, clock, "jh1", "enter_agent") == ""
    assert wecom.say("jh1", "继续").splitlines()[-1] == question


def test_a_voice_message_gets_a_clear_answer(wecom, clock):
    response = wecom.post(media_xml("jh1", "voice", 4242, int(clock().timestamp())))
    assert wecom.decrypt_reply(response).startswith("暂不支持此类消息，请发送文字")
