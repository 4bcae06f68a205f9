"""Outbound messengers against a fake WeCom server on 127.0.0.1."""

from __future__ import annotations

import pytest

from bot.messengers import ConsoleMessenger, WeComMessenger
from bot.outbound import messenger_for
from common.messenger import SendError, split_text
from tests.support.config import make_config, wecom_config


def test_app_message_fetches_token_from_api_base_url(fake_wecom, tmp_path):
    WeComMessenger(wecom_config(fake_wecom, tmp_path)).send_to_users(["jh1", "jh2"], "您好")
    send = fake_wecom.calls_to("message/send")[0]
    assert send.query["access_token"] == "TOKEN"
    assert send.body["touser"] == "jh1|jh2" and send.body["text"]["content"] == "您好"
    assert send.body["agentid"] == "1000002"


def test_expired_token_is_refetched_once_then_gives_up(fake_wecom, tmp_path):
    messenger = WeComMessenger(wecom_config(fake_wecom, tmp_path))
    fake_wecom.token_rejections = 1
    messenger.send_to_users(["jh1"], "一次")
    assert len(fake_wecom.calls_to("message/send")) == 2
    fake_wecom.token_rejections = 5
    with pytest.raises(SendError) as error:
        messenger.send_to_users(["jh1"], "两次")
    assert error.value.errcode == 42001
    assert len(fake_wecom.calls_to("message/send")) == 4  # one refetch per call, not an endless loop


def test_group_robot_posts_text_with_mentions(fake_wecom, tmp_path):
    WeComMessenger(wecom_config(fake_wecom, tmp_path)).send_to_group("jinghong", "请报送", mention=["jh1"])
    call = fake_wecom.calls_to("webhook/send")[0]
    assert call.query["key"] == "jh"
    assert call.body == {"msgtype": "text", "text": {"content": "请报送", "mentioned_list": ["jh1"]}}


def test_app_group_chat_uses_appchat_send(fake_wecom, tmp_path):
    WeComMessenger(wecom_config(fake_wecom, tmp_path)).send_to_group("mengla", "请报送")
    assert fake_wecom.calls_to("appchat/send")[0].body["chatid"] == "chat-mengla"


@pytest.mark.parametrize(
    ("status", "payload", "retryable"),
    [(502, None, True), (200, {"errcode": -1, "errmsg": "busy"}, True), (200, {"errcode": 45009}, True), (200, {"errcode": 93000}, False), (404, None, False)],
)
def test_robot_errors_are_classified(fake_wecom, tmp_path, status, payload, retryable):
    fake_wecom.failures.append((status, payload))
    with pytest.raises(SendError) as error:
        WeComMessenger(wecom_config(fake_wecom, tmp_path)).send_to_group("office", "x")
    assert error.value.retryable is retryable


@pytest.mark.parametrize(("status", "payload", "retryable"), [(503, None, True), (200, {"errcode": 45033}, True), (200, {"errcode": 60020}, False)])
def test_app_errors_are_classified(fake_wecom, tmp_path, status, payload, retryable):
    fake_wecom.failures.append((status, payload))
    with pytest.raises(SendError) as error:
        WeComMessenger(wecom_config(fake_wecom, tmp_path)).send_to_users(["jh1"], "x")
    assert error.value.retryable is retryable


def test_unreachable_wecom_is_retryable(tmp_path):
    config = make_config(f"sqlite:///{tmp_path}/x.db", wecom={"secret": "s", "api_base_url": "http://127.0.0.1:9/cgi-bin/"})
    with pytest.raises(SendError) as error:
        WeComMessenger(config).send_to_users(["jh1"], "x")
    assert error.value.retryable and not error.value.maybe_delivered  # refused: it cannot have arrived


def test_file_goes_through_media_upload(fake_wecom, tmp_path):
    WeComMessenger(wecom_config(fake_wecom, tmp_path)).send_file("admin1", "周报.xlsx", b"PK\x03\x04data")
    assert b"PK\x03\x04data" in fake_wecom.calls_to("media/upload")[0].raw
    assert fake_wecom.calls_to("message/send")[0].body["file"]["media_id"] == "MEDIA1"


def test_a_robot_group_file_is_uploaded_with_the_robots_key_then_posted_as_a_file_message(fake_wecom, tmp_path):
    WeComMessenger(wecom_config(fake_wecom, tmp_path)).send_file_to_group("jinghong", "周报.xlsx", b"PK\x03\x04data")
    [upload] = fake_wecom.calls_to("webhook/upload_media")
    assert upload.query == {"key": "jh", "type": "file"} and upload.files == {"media": ("周报.xlsx", b"PK\x03\x04data")}
    assert fake_wecom.robot_posts("jh") == [{"msgtype": "file", "file": {"media_id": "MEDIA1"}}]
    assert fake_wecom.robot_files("jh") == [("周报.xlsx", b"PK\x03\x04data")]


def test_an_app_group_chat_file_goes_through_media_upload_and_appchat_send(fake_wecom, tmp_path):
    WeComMessenger(wecom_config(fake_wecom, tmp_path)).send_file_to_group("mengla", "周报.xlsx", b"PK\x03\x04data")
    assert fake_wecom.calls_to("media/upload")[0].query["type"] == "file"
    assert fake_wecom.calls_to("appchat/send")[0].body == {"chatid": "chat-mengla", "safe": 0, "msgtype": "file", "file": {"media_id": "MEDIA1"}}
    assert fake_wecom.appchat_files("chat-mengla") == [("周报.xlsx", b"PK\x03\x04data")]


@pytest.mark.parametrize(
    ("endpoint", "answer", "retryable"),
    [
        ("webhook/upload_media", (502, None), True),
        ("webhook/upload_media", (200, {"errcode": 93000}), False),
        ("webhook/send", (200, {"errcode": 45009}), True),
    ],
)
def test_a_robot_file_fails_like_a_text_when_its_upload_or_message_fails(fake_wecom, tmp_path, endpoint, answer, retryable):
    fake_wecom.outages[endpoint] = answer
    with pytest.raises(SendError) as error:
        WeComMessenger(wecom_config(fake_wecom, tmp_path)).send_file_to_group("jinghong", "周报.xlsx", b"PK\x03\x04data")
    assert error.value.retryable is retryable and not error.value.maybe_delivered
    assert fake_wecom.robot_files("jh") == []


def test_unknown_group_is_a_final_error(fake_wecom, tmp_path):
    with pytest.raises(SendError) as error:
        WeComMessenger(wecom_config(fake_wecom, tmp_path)).send_to_group("nowhere", "x")
    assert not error.value.retryable


def test_split_text_cuts_a_single_huge_line():
    parts = split_text("汉" * 1000, limit=2048)
    assert [len(p) for p in parts] == [682, 318] and "".join(parts) == "汉" * 1000


def test_no_secret_means_console(tmp_path, capsys):
    messenger = messenger_for(make_config(f"sqlite:///{tmp_path}/x.db"))
    assert isinstance(messenger, ConsoleMessenger)
    messenger.send_to_group("office", "本周全部按时", mention=["jh1"])
    messenger.send_file_to_group("office", "周报.xlsx", b"PK\x03\x04")
    assert capsys.readouterr().out.splitlines()[::2] == ["[群 office @jh1]", "[文件到群 office] 周报.xlsx（4 字节）"]
