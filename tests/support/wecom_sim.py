"""Acts as WeCom toward our webhook: encrypts and signs callbacks with wechatpy, decrypts the replies.

The message builders and the conversation methods serve the official account's simulator too (wechat_sim.py):
its messages are WeCom's without the AgentID, addressed to the account.
"""

from __future__ import annotations

import itertools
import time as _time
from dataclasses import dataclass, field
from typing import ClassVar

import xmltodict
from wechatpy.enterprise import WeChatCrypto
from wechatpy.utils import WeChatSigner

from bot.app import create_app

TOKEN = "QDG6eK"
AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
CORP_ID = "wx5823bf96d3bd56c7"
AGENT = "<AgentID>1000002</AgentID>"

_ids = itertools.count(1000)


def _head(user: str, kind: str, create_time: int, to: str) -> str:
    return (
        f"<xml><ToUserName><![CDATA[{to}]]></ToUserName><FromUserName><![CDATA[{user}]]></FromUserName>"
        f"<CreateTime>{create_time}</CreateTime><MsgType><![CDATA[{kind}]]></MsgType>"
    )


def text_xml(user: str, content: str, msg_id: int, create_time: int, *, to: str = CORP_ID, tail: str = AGENT) -> str:
    return f"{_head(user, 'text', create_time, to)}<Content><![CDATA[{_cdata(content)}]]></Content><MsgId>{msg_id}</MsgId>{tail}</xml>"


def _cdata(text: str) -> str:
    return text.replace("]]>", "]]]]><![CDATA[>")


def event_xml(user: str, event: str, create_time: int, *, to: str = CORP_ID, tail: str = AGENT) -> str:
    return f"{_head(user, 'event', create_time, to)}<Event><![CDATA[{event}]]></Event>{tail}</xml>"


def media_xml(user: str, kind: str, msg_id: int, create_time: int, media_id: str = "m1", *, to: str = CORP_ID, tail: str = AGENT) -> str:
    """An image, video or voice message as WeCom sends it (doc 90239): the file's MediaId, and PicUrl for an image."""
    picture = f"<PicUrl><![CDATA[https://wework.qpic.cn/{media_id}]]></PicUrl>" if kind == "image" else ""
    return f"{_head(user, kind, create_time, to)}{picture}<MediaId><![CDATA[{media_id}]]></MediaId><MsgId>{msg_id}</MsgId>{tail}</xml>"


def link_xml(user: str, title: str, url: str, msg_id: int, create_time: int, *, to: str = CORP_ID, tail: str = AGENT) -> str:
    """A shared article (MsgType link) as WeCom sends it: Title, Description, Url, PicUrl."""
    return (
        f"{_head(user, 'link', create_time, to)}"
        f"<Title><![CDATA[{_cdata(title)}]]></Title><Description><![CDATA[摘要]]></Description>"
        f"<Url><![CDATA[{_cdata(url)}]]></Url><PicUrl><![CDATA[https://mmbiz.qpic.cn/cover.jpg]]></PicUrl>"
        f"<MsgId>{msg_id}</MsgId>{tail}</xml>"
    )


def sign(token: str, timestamp: str, nonce: str, encrypt: str = "") -> str:
    signer = WeChatSigner()
    signer.add_data(*(part for part in (token, timestamp, nonce, encrypt) if part))
    return signer.signature


@dataclass
class CallbackSim:
    """Talks to a callback as a Tencent server does: `say`, `share` and `send_media` return the reply's text ("" for none)."""

    client: object
    now: callable = _time.time

    PATH: ClassVar[str] = ""
    ADDRESS: ClassVar[dict[str, str]] = {}  # the builders' `to` and `tail`: who the messages are addressed to

    def envelope(self, plain_xml: str, *, timestamp: int | None = None, nonce: str = "nonce123") -> tuple[dict, str]:
        """The query string and body the server would send for this plaintext."""
        raise NotImplementedError

    def decrypt_reply(self, response) -> str:
        raise NotImplementedError

    def post(self, plain_xml: str, **kwargs):
        query, body = self.envelope(plain_xml, **kwargs)
        return self.client.post(self.PATH, query_string=query, data=body)

    def say(self, user: str, text: str, *, msg_id: int | None = None) -> str:
        """Send a text message and return the decrypted reply text ("" for no reply)."""
        return self._reply(text_xml(user, text, msg_id or next(_ids), int(self.now()), **self.ADDRESS))

    def share(self, user: str, title: str, url: str) -> str:
        """Share an article (a link message) and return the reply text."""
        return self._reply(link_xml(user, title, url, next(_ids), int(self.now()), **self.ADDRESS))

    def send_media(self, user: str, kind: str, media_id: str) -> str:
        """Send an image or a video and return the reply text."""
        return self._reply(media_xml(user, kind, next(_ids), int(self.now()), media_id, **self.ADDRESS))

    def _reply(self, plain_xml: str) -> str:
        response = self.post(plain_xml)
        assert response.status_code == 200, response.status_code
        return self.decrypt_reply(response)


@dataclass
class WeComSim(CallbackSim):
    """Posts signed, encrypted callbacks to a Flask test client (or anything with .post/.get)."""

    crypto: WeChatCrypto = field(default_factory=lambda: WeChatCrypto(TOKEN, AES_KEY, CORP_ID))

    PATH: ClassVar[str] = "/wecom/callback"

    def envelope(self, plain_xml: str, *, timestamp: int | None = None, nonce: str = "nonce123") -> tuple[dict, str]:
        ts = str(int(self.now()) if timestamp is None else timestamp)
        encrypted = self.crypto.encrypt_message(plain_xml, nonce, ts)
        encrypt = xmltodict.parse(encrypted)["xml"]["Encrypt"]
        body = f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName>{AGENT}<Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"
        query = {"msg_signature": sign(TOKEN, ts, nonce, encrypt), "timestamp": ts, "nonce": nonce}
        return query, body

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
