"""The WeChat official account's API: its client at `api_base_url`, and the messenger that reaches its followers.

Customer-service messages (客服消息, `message/custom/send`) reach a follower only within 48 hours of their last
message to the account; outside it WeChat answers errcode 45015, which is final. Template messages
(`message/template/send`) need a template approved in the account's back office, and carry its own fields.
"""

from __future__ import annotations

import hashlib
import json

from wechatpy import WeChatClient

from bot.messengers import HTTP_TIMEOUT, call_wecom, keep_connections_for_every_sender
from common.config import WeChatConfig

WHO = "WeChat"
OUT_OF_WINDOW = 45015  # the follower has not written for 48 hours: no customer-service message reaches them


class WeChatApiClient(WeChatClient):
    """wechatpy's official-account client pointed at `api_base_url` for every call, the token fetch included.

    wechatpy 1.8.18 hard-codes https://api.weixin.qq.com/cgi-bin/token and refetches a rejected token without
    limit; here auto-retry is off and call_wecom refetches at most once per call.
    """

    def __init__(self, wechat: WeChatConfig, timeout: float = HTTP_TIMEOUT):
        self.API_BASE_URL = wechat.api_base_url
        super().__init__(wechat.app_id, wechat.app_secret, timeout=timeout, auto_retry=False)
        keep_connections_for_every_sender(self._http)

    def fetch_access_token(self):
        params = {"grant_type": "client_credential", "appid": self.appid, "secret": self.secret}
        return self._fetch_access_token(url=f"{self.API_BASE_URL}token", params=params)


class WeChatMessenger:
    """Sends to followers of the official account: customer-service texts, and the reminders' template message."""

    def __init__(self, wechat: WeChatConfig, timeout: float = HTTP_TIMEOUT):
        self.client = WeChatApiClient(wechat, timeout)
        self.template_id = wechat.reminder_template_id
        self.fields = wechat.reminder_template_fields

    def send_to_follower(self, openid: str, text: str) -> None:
        call_wecom(self.client, lambda: self.client.message.send_text(openid, text), who=WHO)

    def send_template(self, openid: str, values: str, *, key: str) -> None:
        """The template with each of its fields filled from `values` (JSON, by common.config.TEMPLATE_VALUES name).

        `client_msg_id` makes WeChat show a resend within 10 minutes once only: the outbox key says which message it is.
        """
        named = json.loads(values)
        body = {
            "touser": openid,
            "template_id": self.template_id,
            "data": {field: {"value": named[name]} for field, name in self.fields.items()},
            "client_msg_id": hashlib.sha256(key.encode()).hexdigest()[:32],
        }
        call_wecom(self.client, lambda: self.client.post("message/template/send", data=body), who=WHO)
