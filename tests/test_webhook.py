"""The WeCom callback: verification, decryption, replies, dedupe and every kind of bad input."""

from __future__ import annotations

import threading
import time
from urllib.parse import quote

import pytest
from sqlmodel import Session, select
from wechatpy.enterprise import WeChatCrypto

from handlers import texts as m
from handlers.base import Reply
from storage.models import Conversation, ProcessedMessage
from tests.support.chat import Chat
from tests.support.hostile import MALFORMED_BODIES
from tests.support.live_server import BotProcess, HttpClient, free_port, write_config
from tests.support.threads import run_together
from tests.support.wecom_sim import AES_KEY, CORP_ID, TOKEN, WeComSim, media_xml, text_xml

SAMPLE_ECHOSTR = "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ=="


def test_url_verification_answers_tencent_sample_exactly(client):
    query = (
        "msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3&timestamp=1409659589"
        f"&nonce=263014780&echostr={quote(SAMPLE_ECHOSTR, safe='')}"
    )
    response = client.get(f"/wecom/callback?{query}")
    assert response.status_code == 200
    assert response.get_data() == b"1616140317555161061"


def test_url_verification_with_wrong_signature_is_403(client):
    query = f"msg_signature={'0' * 40}&timestamp=1409659589&nonce=263014780&echostr={quote(SAMPLE_ECHOSTR, safe='')}"
    assert client.get(f"/wecom/callback?{query}").status_code == 403


def test_url_verification_without_echostr_is_400(client):
    assert client.get("/wecom/callback?msg_signature=a&timestamp=1&nonce=2").status_code == 400


def test_help_reply_is_encrypted_and_decryptable(wecom):
    reply = wecom.say("jh1", "帮助")
    assert "可用指令" in reply and "帮助" in reply


def test_unknown_text_gets_help(wecom):
    assert "未能识别该指令" in wecom.say("jh1", "你好")


def test_unbound_user_is_told_to_contact_the_office_and_nothing_is_stored(wecom, bot, messenger):
    for text in ("周报", "导出"):  # a member's keyword and an admin's
        assert wecom.say("stranger", text) == m.UNBOUND  # …请联系中院办公室…
    with Session(bot.engine) as session:
        assert session.exec(select(ProcessedMessage)).all() != []  # the callback itself is deduped
        assert session.exec(select(Conversation)).all() == []
    assert messenger.sent == []


@pytest.mark.parametrize("kind", ["voice", "file", "location"])
def test_messages_the_bot_cannot_keep_get_a_short_text_only_reply(wecom, clock, kind):
    response = wecom.post(media_xml("jh1", kind, 77, int(clock().timestamp())))
    assert response.status_code == 200
    assert "请发送文字" in wecom.decrypt_reply(response)


def test_reply_text_containing_cdata_end_arrives_unchanged(wecom, bot):
    bot.router.command("回声")(lambda msg, ctx: Reply(f"你说：{msg.args}"))
    assert wecom.say("jh1", "回声 a]]>b") == "你说：a]]>b"


def test_a_retry_of_a_handled_message_gets_the_same_reply_and_changes_nothing(wecom, bot):
    """WeCom re-sends a message whose answer was lost: the member still sees the receipt, the draft moves once."""
    first = wecom.say("jh1", "周报", msg_id=555)
    again = wecom.say("jh1", "周报", msg_id=555)
    assert "（1/8）" in first and again == first
    assert "（2/8）" in wecom.say("jh1", "简介", msg_id=556)
    assert wecom.say("jh1", "简介", msg_id=556) == wecom.say("jh1", "简介", msg_id=556)
    assert "（3/8）" in wecom.say("jh1", "举措")


def test_three_concurrent_copies_are_handled_once(app, bot, clock):
    """WeCom retries while the first copy is still running: one row, one state change."""
    calls = []
    bot.router.command("计数")(lambda msg, ctx: calls.append(1) or Reply("ok"))
    sim = WeComSim(None, now=lambda: clock().timestamp())
    query, body = sim.envelope(text_xml("jh1", "计数", 9001, int(clock().timestamp())))
    barrier = threading.Barrier(3)

    def post():
        with app.test_client() as client:
            barrier.wait(10)
            response = client.post("/wecom/callback", query_string=query, data=body)
            return response.status_code, sim.decrypt_reply(response)

    statuses, replies = zip(*run_together(post, post, post), strict=False)
    assert statuses == (200, 200, 200)
    assert len(calls) == 1
    assert replies == ("ok", "ok", "ok")  # the copies that waited get the stored reply
    with Session(bot.engine) as session:
        assert len(session.exec(select(ProcessedMessage).where(ProcessedMessage.key == "msg:9001")).all()) == 1


def test_bad_signature_is_403(wecom, client, clock):
    query, body = wecom.envelope(text_xml("jh1", "帮助", 1, int(clock().timestamp())))
    query["msg_signature"] = "0" * 40
    assert client.post("/wecom/callback", query_string=query, data=body).status_code == 403


def test_wrong_corp_id_is_403(client, clock):
    other = WeComSim(client, now=lambda: clock().timestamp(), crypto=WeChatCrypto(TOKEN, AES_KEY, "wwOTHERCORP"))
    assert other.post(text_xml("jh1", "帮助", 2, int(clock().timestamp()))).status_code == 403


def test_wrong_aes_key_is_400(client, clock):
    other_key = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
    other = WeComSim(client, now=lambda: clock().timestamp(), crypto=WeChatCrypto(TOKEN, other_key, CORP_ID))
    assert other.post(text_xml("jh1", "帮助", 3, int(clock().timestamp()))).status_code == 400


@pytest.mark.parametrize("age", [301, -301, 86400 * 30])
def test_stale_or_future_timestamp_is_403(wecom, clock, age):
    ts = int(clock().timestamp()) - age
    assert wecom.post(text_xml("jh1", "帮助", 4, ts), timestamp=ts).status_code == 403


def test_timestamp_within_window_is_accepted(wecom, clock):
    ts = int(clock().timestamp()) - 299
    assert wecom.post(text_xml("jh1", "帮助", 5, ts), timestamp=ts).status_code == 200


@pytest.mark.parametrize("body", MALFORMED_BODIES)
def test_malformed_bodies_are_400(client, clock, body):
    """Refused before the (wrong) signature is even checked: a body that cannot be read is 400, not 403."""
    ts = str(int(clock().timestamp()))
    response = client.post("/wecom/callback", query_string={"msg_signature": "a" * 40, "timestamp": ts, "nonce": "n"}, data=body)
    assert response.status_code == 400


def test_signed_garbage_plaintext_is_400(wecom, clock):
    assert wecom.post("<xml><MsgType>text</MsgType></xml>").status_code == 400
    assert wecom.post("plain words").status_code == 400
    image_without_its_file = media_xml("jh1", "image", 78, int(clock().timestamp())).replace("<MediaId><![CDATA[m1]]></MediaId>", "")
    assert wecom.post(image_without_its_file).status_code == 400


def test_non_numeric_timestamp_is_400(client):
    query = {"msg_signature": "a" * 40, "timestamp": "yesterday", "nonce": "n"}
    assert client.post("/wecom/callback", query_string=query, data=b"<xml/>").status_code == 400


def test_missing_query_is_400(client):
    assert client.post("/wecom/callback", data=b"<xml/>").status_code == 400


def test_oversized_body_is_413(client, clock, config):
    ts = str(int(clock().timestamp()))
    body = b"<xml><Encrypt>" + b"A" * (config.server.max_body_bytes + 1) + b"</Encrypt></xml>"
    response = client.post("/wecom/callback", query_string={"msg_signature": "a" * 40, "timestamp": ts, "nonce": "n"}, data=body)
    assert response.status_code == 413


def test_bot_keeps_serving_after_bad_input(tmp_path):
    """A real `serve` process: each bad request gets its 4xx, and the same process goes on answering members."""
    port = free_port()
    config = write_config(tmp_path, port=port, db_url=f"sqlite:///{tmp_path}/bot.db", replacements={"max_body_bytes = 1048576": "max_body_bytes = 4096"})
    server = BotProcess(config, "serve", port=port)
    try:
        server.wait_healthy()
        web = HttpClient(server.base_url)
        fresh = {"msg_signature": "a" * 40, "timestamp": str(int(time.time())), "nonce": "n"}
        answers = [
            web.post("/wecom/callback", query_string={"msg_signature": "a", "timestamp": "1", "nonce": "n"}, data=b"junk").status_code,
            web.post("/wecom/callback", query_string=fresh, data=b"junk").status_code,
            web.post("/wecom/callback", query_string=fresh, data=b"<xml><Encrypt>" + b"A" * 5000 + b"</Encrypt></xml>").status_code,
            web.post("/wecom/callback", query_string=fresh, data=b"<xml><Encrypt>AAAA</Encrypt></xml>").status_code,
            web.get("/wecom/callback").status_code,
        ]
        assert answers == [403, 400, 413, 403, 400]  # stale, malformed, too large, badly signed, no query
        assert server.alive(), server.output()
        assert "可用指令" in Chat(WeComSim(HttpClient(server.base_url)), "jh_reporter").say("帮助")
        assert "Traceback" not in server.output()
    finally:
        server.stop()


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}

def test_control_characters_that_xml_lets_through_are_dropped_before_storage(wecom, bot):
    """XML itself refuses NUL and most C0 controls (such a callback cannot be parsed: 400); DEL gets through, and is dropped here."""
    wecom.say("jh1", "周报")
    wecom.say("jh1", "本周\x7f开展")
    with Session(bot.engine) as session:
        assert session.get(Conversation, ("jh1", "weekly")).state["answers"] == {"summary": "本周开展"}


def test_a_reply_over_wecoms_2048_bytes_is_split_and_the_rest_follows_as_app_messages(wecom, bot, messenger):
    lines = [f"第{i}行：景洪市人民法院 已报送（按时）" for i in range(150)]
    bot.router.command("长文")(lambda msg, ctx: Reply("\n".join(lines)))
    passive = wecom.say("jh1", "长文")
    assert len(passive.encode()) <= 2048 and passive.endswith("（内容较长，其余部分随后发送）")
    rest = [s.text for s in messenger.sent if s.kind == "users" and s.target == "jh1"]
    assert rest and passive.splitlines()[:-1] + "\n".join(rest).splitlines() == lines
