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


def media_xml(user: str, kind: str, msg_id: int, create_time: int, media_id: str = "m1") -> str:
    """An image, video or voice message as WeCom sends it (doc 90239): the file's MediaId, and PicUrl for an image."""
    picture = f"<PicUrl><![CDATA[https://wework.qpic.cn/{media_id}]]></PicUrl>" if kind == "image" else ""
    return (
        f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><FromUserName><![CDATA[{user}]]></FromUserName>"
        f"<CreateTime>{create_time}</CreateTime><MsgType><![CDATA[{kind}]]></MsgType>{picture}"
        f"<MediaId><![CDATA[{media_id}]]></MediaId><MsgId>{msg_id}</MsgId><AgentID>1000002</AgentID></xml>"
    )


def link_xml(user: str, title: str, url: str, msg_id: int, create_time: int) -> str:
    """A shared article (MsgType link) as WeCom sends it: Title, Description, Url, PicUrl."""
    return (
        f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><FromUserName><![CDATA[{user}]]></FromUserName>"
        f"<CreateTime>{create_time}</CreateTime><MsgType><![CDATA[link]]></MsgType>"
        f"<Title><![CDATA[{_cdata(title)}]]></Title><Description><![CDATA[摘要]]></Description>"
        f"<Url><![CDATA[{_cdata(url)}]]></Url><PicUrl><![CDATA[https://mmbiz.qpic.cn/cover.jpg]]></PicUrl>"
        f"<MsgId>{msg_id}</MsgId><AgentID>1000002</AgentID></xml>"
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
        return self._reply(text_xml(user, text, msg_id or next(_ids), int(self.now())))

    def share(self, user: str, title: str, url: str) -> str:
        """Share an article (a link message) and return the reply text."""
        return self._reply(link_xml(user, title, url, next(_ids), int(self.now())))

    def send_media(self, user: str, kind: str, media_id: str) -> str:
        """Send an image or a video and return the reply text."""
        return self._reply(media_xml(user, kind, next(_ids), int(self.now()), media_id))

    def _reply(self, plain_xml: str) -> str:
        response = self.post(plain_xml)
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
