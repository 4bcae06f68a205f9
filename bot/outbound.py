"""What the bot sends through: WeCom's messenger and the official account's, each real or the console."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from bot.messengers import ConsoleMessenger, WeComMessenger
from bot.wechat_api import WeChatMessenger
from common.config import Config
from common.messenger import Messenger

log = logging.getLogger(__name__)


class Channels:
    """WeCom's messages through one messenger, the official account's through another (each real, or the console)."""

    def __init__(self, wecom: Messenger, wechat: Messenger):
        self.wecom = wecom
        self.wechat = wechat

    def send_to_users(self, user_ids: Sequence[str], text: str) -> None:
        self.wecom.send_to_users(user_ids, text)

    def send_to_group(self, group_id: str, text: str, mention: Sequence[str] = ()) -> None:
        self.wecom.send_to_group(group_id, text, mention)

    def send_file(self, user_id: str, filename: str, content: bytes) -> None:
        self.wecom.send_file(user_id, filename, content)

    def send_file_to_group(self, group_id: str, filename: str, content: bytes) -> None:
        self.wecom.send_file_to_group(group_id, filename, content)

    def send_to_follower(self, openid: str, text: str) -> None:
        self.wechat.send_to_follower(openid, text)

    def send_template(self, openid: str, values: str, *, key: str) -> None:
        self.wechat.send_template(openid, values, key=key)


def messenger_for(config: Config) -> Messenger:
    """WeCom's messenger when its secret is configured, the official account's when its AppSecret is; the console for the rest."""
    wechat = config.wechat
    wecom_sends = bool(config.wecom.secret)
    wechat_sends = wechat is not None and bool(wechat.app_secret)
    if not wecom_sends:
        log.warning("[wecom] secret is empty: outbound WeCom messages are printed, not sent")
    if wechat is not None and not wechat_sends:
        log.warning("[wechat] app_secret is empty: messages to the official account's followers are printed, not sent")
    if not wecom_sends and not wechat_sends:
        return ConsoleMessenger()
    console = ConsoleMessenger()
    return Channels(WeComMessenger(config) if wecom_sends else console, WeChatMessenger(wechat) if wechat_sends else console)
