"""Acts as WeChat toward our official-account callback: signs (and in safe mode encrypts) with wechatpy, reads the replies."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import xmltodict
from wechatpy.crypto import WeChatCrypto

from bot.app import create_app
from storage.bindings import issue_code
from storage.engine import session_scope
from tests.support.fake_wechat import FakeWeChat
from tests.support.wecom_sim import AES_KEY, CallbackSim, event_xml, sign

APP_ID = "wxd930ea5d5a258f4f"
ACCOUNT_TOKEN = "wechatToken2026"
ACCOUNT_ID = "gh_3f5a9c8b7e21"  # the account's original id: what followers' messages are addressed to

ADDRESS = {"to": ACCOUNT_ID, "tail": ""}  # no AgentID on the official account's messages


def wechat_settings(api: FakeWeChat | None = None, *, safe: bool = True, template: str = "TPL-reminder_01") -> dict:
    """The [wechat] section of a test config: safe mode with the sample key, the fake API's address, a reminder template."""
    settings = {"app_id": APP_ID, "app_secret": "s3cret", "token": ACCOUNT_TOKEN, "encoding_aes_key": AES_KEY if safe else "",
                "reminder_template_id": template}
    return settings | ({"api_base_url": api.base_url} if api is not None else {})


@dataclass
class WeChatSim(CallbackSim):
    """Posts followers' messages as WeChat does, in safe mode (encrypt_type=aes) unless `safe` is False."""

    safe: bool = True
    api: FakeWeChat | None = None  # told when each follower writes, for the 48-hour rule of customer-service messages
    crypto: WeChatCrypto = field(default_factory=lambda: WeChatCrypto(ACCOUNT_TOKEN, AES_KEY, APP_ID))

    PATH: ClassVar[str] = "/wechat/callback"
    ADDRESS: ClassVar[dict[str, str]] = ADDRESS

    def envelope(self, plain_xml: str, *, timestamp: int | None = None, nonce: str = "nonce456") -> tuple[dict, str]:
        ts = str(int(self.now()) if timestamp is None else timestamp)
        sender = xmltodict.parse(plain_xml)["xml"]["FromUserName"]
        query = {"signature": sign(ACCOUNT_TOKEN, ts, nonce), "timestamp": ts, "nonce": nonce, "openid": sender}
        if not self.safe:
            return query, plain_xml
        encrypt = xmltodict.parse(self.crypto.encrypt_message(plain_xml, nonce, ts))["xml"]["Encrypt"]
        body = f"<xml><ToUserName><![CDATA[{ACCOUNT_ID}]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"
        return query | {"encrypt_type": "aes", "msg_signature": sign(ACCOUNT_TOKEN, ts, nonce, encrypt)}, body

    def post(self, plain_xml: str, **kwargs):
        if self.api is not None:
            self.api.heard_from(xmltodict.parse(plain_xml)["xml"]["FromUserName"])
        return super().post(plain_xml, **kwargs)

    def event(self, openid: str, event: str) -> str:
        """Follow (subscribe) or unfollow (unsubscribe) the account; the reply text."""
        return self._reply(event_xml(openid, event, int(self.now()), **ADDRESS))

    def decrypt_reply(self, response) -> str:
        body = response.get_data(as_text=True)
        if not body:
            return ""
        if self.safe:
            outer = xmltodict.parse(body)["xml"]
            body = self.crypto.decrypt_message(body, outer["MsgSignature"], outer["TimeStamp"], outer["Nonce"])
        return xmltodict.parse(body)["xml"]["Content"] or ""


def wechat_for(bot, api: FakeWeChat | None = None) -> WeChatSim:
    """WeChat posting to a fresh Flask test client of `bot`, on the bot's clock, telling `api` when followers write."""
    return WeChatSim(create_app(bot).test_client(), now=lambda: bot.clock().timestamp(), api=api)


def bound(bot, sim: WeChatSim, user_id: str, openid: str = "") -> str:
    """Bind a follower to the member as they would (a code issued for the member, sent to the account); their openid."""
    openid = openid or f"o_{user_id}"
    with session_scope(bot.engine) as session:
        code = issue_code(session=session, user_id=user_id, by="admin1", now=bot.clock())
    assert "绑定成功" in sim.say(openid, f"绑定 {code}")
    return openid
