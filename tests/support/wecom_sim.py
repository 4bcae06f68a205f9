"""Acts as WeCom toward our webhook: encrypts and signs callbacks with wechatpy, decrypts the replies."""

from __future__ import annotations

import itertools
import time as _time
from dataclasses import dataclass, field

import xmltodict
from wechatpy.enterprise import WeChatCrypto
from wechatpy.utils import WeChatSigner

from bot.app import create_app

TOKEN = "QDG6eK"
AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
CORP_ID = "wx5823bf96d3bd56c7"

_ids = itertools.count(1000)


def text_xml(user: str, content: str, msg_id: int, create_time: int) -> str:
    return (
        f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><FromUserName><![CDATA[{user}]]></FromUserName>"
        f"<CreateTime>{create_time}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
        f"<Content><![CDATA[{_cdata(content)}]]></Content><MsgId>{msg_id}</MsgId><AgentID>1000002</AgentID></xml>"
    )


def _cdata(text: str) -> str:
    return text.replace("]]>", "]]]]><![CDATA[>")


def event_xml(user: str, event: str, create_time: int) -> str:
    return (
        f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><FromUserName><![CDATA[{user}]]></FromUserName>"
        f"<CreateTime>{create_time}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
        f"<Event><![CDATA[{event}]]></Event><AgentID>1000002</AgentID></xml>"
    )


def media_xml(user: str, kind: str, msg_id: int, create_time: int) -> str:
    return (
        f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><FromUserName><![CDATA[{user}]]></FromUserName>"
        f"<CreateTime>{create_time}</CreateTime><MsgType><![CDATA[{kind}]]></MsgType>"
        f"<MediaId><![CDATA[m1]]></MediaId><MsgId>{msg_id}</MsgId><AgentID>1000002</AgentID></xml>"
    )


def sign(token: str, timestamp: str, nonce: str, encrypt: str) -> str:
    signer = WeChatSigner()
    signer.add_data(token, timestamp, nonce, encrypt)
    return signer.signature


@dataclass
class WeComSim:
    """Posts signed, encrypted callbacks to a Flask test client (or anything with .post/.get)."""

    client: object
    now: callable = _time.time
    crypto: WeChatCrypto = field(default_factory=lambda: WeChatCrypto(TOKEN, AES_KEY, CORP_ID))

    def envelope(self, plain_xml: str, *, timestamp: int | None = None, nonce: str = "nonce123"):
        """The query string and body WeCom would send for this plaintext."""
        ts = str(int(self.now()) if timestamp is None else timestamp)
        encrypted = self.crypto.encrypt_message(plain_xml, nonce, ts)
        encrypt = xmltodict.parse(encrypted)["xml"]["Encrypt"]
        body = f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><AgentID>1000002</AgentID><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"
        query = {"msg_signature": sign(TOKEN, ts, nonce, encrypt), "timestamp": ts, "nonce": nonce}
        return query, body

    def post(self, plain_xml: str, **kwargs):
        query, body = self.envelope(plain_xml, **kwargs)
        return self.client.post("/wecom/callback", query_string=query, data=body)

    def say(self, user: str, text: str, *, msg_id: int | None = None) -> str:
        """Send a text message and return the decrypted reply text ("" for no reply)."""
        create_time = int(self.now())
        response = self.post(text_xml(user, text, msg_id or next(_ids), create_time))
        assert response.status_code == 200, response.status_code
        return self.decrypt_reply(response)

    def decrypt_reply(self, response) -> str:
        body = response.get_data(as_text=True)
        if not body:
            return ""
        outer = xmltodict.parse(body)["xml"]
        plain = self.crypto.decrypt_message(body, outer["MsgSignature"], outer["TimeStamp"], outer["Nonce"])
        return xmltodict.parse(plain)["xml"]["Content"] or ""


def wecom_for(bot) -> WeComSim:
    """WeCom posting to a fresh Flask test client of `bot`, on the bot's clock: for a bot a test builds itself."""
    return WeComSim(create_app(bot).test_client(), now=lambda: bot.clock().timestamp())
