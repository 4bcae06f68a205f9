"""The official account's callback at the edge: verification, safe and plaintext mode, dedupe, and every bad input as 4xx."""

from __future__ import annotations

import logging
from dataclasses import replace

import pytest
from sqlmodel import Session, select
from wechatpy.crypto import WeChatCrypto

from bot.app import create_app
from bot.runtime import build_bot, run_inline
from storage.models import BindFailure, Conversation, Follower, Person, ProcessedMessage
from tests.support.config import make_config
from tests.support.hostile import CORRUPT, MALFORMED_BODIES, assert_one_warning_line
from tests.support.wechat_sim import ACCOUNT_ID, ACCOUNT_TOKEN, ADDRESS, APP_ID, WeChatSim, wechat_settings
from tests.support.wecom_sim import AES_KEY, event_xml, media_xml, sign, text_xml

STRANGER = "oSTRANGER01"


def follower_text(openid: str, text: str, msg_id: int, clock) -> str:
    return text_xml(openid, text, msg_id, int(clock().timestamp()), **ADDRESS)


def test_server_verification_answers_the_echostr_bare(wechat, clock):
    query = {"signature": sign(ACCOUNT_TOKEN, "1700000000", "n1"), "timestamp": "1700000000", "nonce": "n1", "echostr": "5837397749957416290"}
    response = wechat.client.get("/wechat/callback", query_string=query)
    assert response.status_code == 200 and response.get_data() == b"5837397749957416290"


def test_server_verification_with_a_wrong_signature_is_403_and_without_echostr_400(wechat):
    query = {"signature": "0" * 40, "timestamp": "1700000000", "nonce": "n1", "echostr": "1"}
    assert wechat.client.get("/wechat/callback", query_string=query).status_code == 403
    assert wechat.client.get("/wechat/callback", query_string={"signature": "a", "timestamp": "1", "nonce": "n"}).status_code == 400


def test_a_stranger_gets_an_encrypted_reply_saying_how_to_bind_and_nothing_of_theirs_is_kept(wechat, wechat_bot):
    assert "绑定 绑定码（6位数字）" in wechat.event(STRANGER, "subscribe")
    assert "您尚未绑定" in wechat.say(STRANGER, "周报")
    assert "您尚未绑定" in wechat.send_media(STRANGER, "image", "MEDIA_X")
    with Session(wechat_bot.engine) as session:
        for model in (ProcessedMessage, Conversation, BindFailure, Follower):
            assert session.exec(select(model)).all() == [], model
        assert session.get(Person, STRANGER) is None


def test_plaintext_mode_reads_and_answers_plain_xml(db_url, messenger, clock):
    config = make_config(db_url, wechat=wechat_settings(safe=False))
    bot = build_bot(config, messenger=messenger, clock=clock, background=run_inline)
    plain = WeChatSim(create_app(bot).test_client(), now=lambda: clock().timestamp(), safe=False)
    response = plain.post(follower_text(STRANGER, "帮助", 1, clock))
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<Encrypt>" not in body and "您尚未绑定" in body
    assert f"<ToUserName><![CDATA[{STRANGER}]]></ToUserName>" in body and f"<FromUserName><![CDATA[{ACCOUNT_ID}]]>" in body
    query, encrypted = WeChatSim(plain.client, now=plain.now).envelope(follower_text(STRANGER, "帮助", 2, clock))
    assert plain.client.post("/wechat/callback", query_string=query, data=encrypted).status_code == 400  # cannot be read here


def test_a_plaintext_post_to_a_safe_mode_account_is_403(wechat, clock):
    plain = replace(wechat, safe=False)
    assert plain.post(follower_text(STRANGER, "帮助", 3, clock)).status_code == 403


def test_a_retry_of_a_handled_message_gets_the_same_reply_and_changes_nothing(wechat, bind, clock):
    openid = bind("jh1")
    first = wechat.say(openid, "周报", msg_id=4242)
    wechat.say(openid, "本周开展集中执行行动 2 次")
    assert wechat.say(openid, "周报", msg_id=4242) == first  # WeChat's retry of the first: its stored reply, nothing redone
    assert "（3/8）" in wechat.say(openid, "联合州电视台开展执行直播")


def test_reply_text_containing_cdata_end_arrives_unchanged(wechat, bind):
    openid = bind("jh1")
    wechat.say(openid, "周报")
    assert "（2/8）" in wechat.say(openid, "简介]]>里有 CDATA 结尾")
    assert "简介]]>里有 CDATA 结尾" in wechat.say(openid, "上一步")


def test_bad_signature_or_message_signature_is_403(wechat, clock):
    for name in ("signature", "msg_signature"):
        query, body = wechat.envelope(follower_text(STRANGER, "帮助", 5, clock))
        query[name] = "0" * 40
        assert wechat.client.post("/wechat/callback", query_string=query, data=body).status_code == 403, name


def test_another_accounts_ciphertext_is_403_and_another_key_400(wechat, clock):
    other_account = replace(wechat, crypto=WeChatCrypto(ACCOUNT_TOKEN, AES_KEY, "wx0000000000000000"))
    assert other_account.post(follower_text(STRANGER, "帮助", 6, clock)).status_code == 403
    other_key = replace(wechat, crypto=WeChatCrypto(ACCOUNT_TOKEN, "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", APP_ID))
    assert other_key.post(follower_text(STRANGER, "帮助", 7, clock)).status_code == 400


@pytest.mark.parametrize("age", [301, -301, 86400 * 30])
def test_stale_or_future_timestamp_is_403(wechat, clock, age):
    ts = int(clock().timestamp()) - age
    assert wechat.post(text_xml(STRANGER, "帮助", 8, ts, **ADDRESS), timestamp=ts).status_code == 403


def signed(clock, **extra) -> dict[str, str]:
    ts = str(int(clock().timestamp()))
    return {"signature": sign(ACCOUNT_TOKEN, ts, "n"), "timestamp": ts, "nonce": "n", **extra}


@pytest.mark.parametrize("body", MALFORMED_BODIES)
def test_malformed_bodies_are_400(wechat, clock, body):
    query = signed(clock, encrypt_type="aes", msg_signature="a" * 40)
    assert wechat.client.post("/wechat/callback", query_string=query, data=body).status_code == 400


@pytest.mark.parametrize("encrypt", CORRUPT.values(), ids=CORRUPT.keys())
def test_signed_corrupt_ciphertext_is_400_with_one_warning(wechat, clock, caplog, encrypt):
    query = signed(clock, encrypt_type="aes", msg_signature=sign(ACCOUNT_TOKEN, str(int(clock().timestamp())), "n", encrypt))
    body = f"<xml><ToUserName>{ACCOUNT_ID}</ToUserName><Encrypt>{encrypt}</Encrypt></xml>" if encrypt else "<xml><Encrypt/></xml>"
    with caplog.at_level(logging.WARNING):
        response = wechat.client.post("/wechat/callback", query_string=query, data=body)
    assert response.status_code == 400
    assert_one_warning_line(caplog)


def test_signed_garbage_plaintext_is_400(wechat, clock):
    assert wechat.post("<xml><FromUserName>o1</FromUserName></xml>").status_code == 400  # no MsgType
    image_without_its_file = media_xml(STRANGER, "image", 9, int(clock().timestamp()), **ADDRESS).replace("<MediaId><![CDATA[m1]]></MediaId>", "")
    assert wechat.post(image_without_its_file).status_code == 400
    assert wechat.post(event_xml("", "subscribe", int(clock().timestamp()), **ADDRESS)).status_code == 400  # no sender


def test_missing_or_non_numeric_query_is_400(wechat, clock):
    assert wechat.client.post("/wechat/callback", data=b"<xml/>").status_code == 400
    query = {**signed(clock), "timestamp": "yesterday"}
    assert wechat.client.post("/wechat/callback", query_string=query, data=b"<xml/>").status_code == 400
    assert wechat.client.post("/wechat/callback", query_string=signed(clock, encrypt_type="aes"), data=b"<xml/>").status_code == 400


def test_oversized_body_is_413(wechat, clock, wechat_bot):
    body = b"<xml><Encrypt>" + b"A" * (wechat_bot.config.server.max_body_bytes + 1) + b"</Encrypt></xml>"
    query = signed(clock, encrypt_type="aes", msg_signature="a" * 40)
    assert wechat.client.post("/wechat/callback", query_string=query, data=body).status_code == 413


def test_the_channel_is_off_without_its_section(client, clock):
    assert client.get("/wechat/callback", query_string=signed(clock, echostr="1")).status_code == 404
