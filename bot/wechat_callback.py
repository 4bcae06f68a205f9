"""The WeChat official account's callback: verify, decrypt (safe mode) or read (plaintext mode), dedupe-and-dispatch, reply.

The account's rules (公众号 消息管理 → 接收普通消息, 被动回复用户消息, 消息加解密说明): WeChat waits 5 s for the
answer, then retries (3 times in all); an empty body means "no passive reply". Every request carries `signature`
over the token, timestamp and nonce; in safe mode (`encrypt_type=aes`) the body is encrypted and `msg_signature`
covers it too. Bad input is refused as the WeCom callback refuses it (bot/edge.py): 403, 400 or 413, never a 500.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, abort, current_app, request
from wechatpy import create_reply, parse_message
from wechatpy.exceptions import InvalidSignatureException
from wechatpy.utils import check_signature

from bot.callback_crypto import AccountCrypto
from bot.edge import message_fields, no_reply, or_refuse, passive_reply, refuse, refuse_replays, required_args
from common.config import WeChatConfig
from common.via import WECHAT
from handlers.base import Incoming
from handlers.dispatcher import SUBSCRIBE

SAFE_MODE = "aes"
MEDIA_KINDS = ("image",)  # WeChat serves an image by media/get; a video only as a link to fetch (not taken as 素材)

blueprint = Blueprint("wechat", __name__)


@dataclass(frozen=True)
class Account:
    """What the callback checks requests with: the token, and in safe mode the crypto (None in plaintext mode)."""

    token: str
    crypto: AccountCrypto | None

    @classmethod
    def of(cls, wechat: WeChatConfig) -> Account:
        crypto = AccountCrypto(wechat.token, wechat.encoding_aes_key, wechat.app_id) if wechat.encoding_aes_key else None
        return cls(wechat.token, crypto)


def _account() -> Account:
    return current_app.extensions["wechat"]


@blueprint.get("/wechat/callback")
def verify_server():
    """The account's server verification (服务器配置): a signed GET, answered with its echostr, bare."""
    args = required_args("signature", "timestamp", "nonce", "echostr")
    or_refuse(lambda: check_signature(_account().token, args["signature"], args["timestamp"], args["nonce"]))
    return Response(args["echostr"], mimetype="text/plain")


@blueprint.post("/wechat/callback")
def receive():
    """A follower's message or event: check, decrypt, handle once, answer with a passive reply (encrypted in safe mode)."""
    args = required_args("signature", "timestamp", "nonce")
    refuse_replays(args["timestamp"])
    account = _account()
    or_refuse(lambda: check_signature(account.token, args["signature"], args["timestamp"], args["nonce"]))
    xml = passive_reply(_plaintext(account), parse=parse_message, convert=to_incoming, create_reply=create_reply)
    if xml is None:
        return no_reply()
    if account.crypto is not None:
        xml = account.crypto.encrypt_message(xml, args["nonce"], args["timestamp"])
    return Response(xml, mimetype="application/xml")


def _plaintext(account: Account) -> str | bytes:
    """The message: decrypted in safe mode (its own signature checked); as posted in plaintext mode.

    Each mode takes only its own requests: a plaintext post to a safe-mode account would skip the encryption (403),
    an encrypted one to a plaintext account cannot be read (400).
    """
    encrypted = request.args.get("encrypt_type") == SAFE_MODE
    if account.crypto is None:
        if encrypted:
            abort(400)
        return request.get_data()
    if not encrypted:
        refuse(403, InvalidSignatureException("a plaintext post to a safe-mode account"))
    signature = required_args("msg_signature")["msg_signature"]
    args = request.args
    return or_refuse(lambda: account.crypto.decrypt_message(request.get_data(), signature, args["timestamp"], args["nonce"]))


def to_incoming(message) -> Incoming:
    """A wechatpy message as a follower's Incoming, its userid left to the binding (bot/followers.py); raises on missing fields.

    Keys are kept apart from WeCom's (a MsgId of each could meet); following by a QR code (subscribe_scan) is following.
    """
    data = message._data
    fields = message_fields(data)
    openid = fields.pop("sender")
    fields["key"] = f"{WECHAT}:{fields['key']}"
    if fields["event"].startswith(SUBSCRIBE):
        fields["event"] = SUBSCRIBE
    if fields["kind"] in MEDIA_KINDS:
        fields["media_id"] = data["MediaId"]
    elif fields["kind"] in ("video", "shortvideo"):
        fields["kind"] = "wechat_video"
    return Incoming(user_id="", via=WECHAT, openid=openid, **fields)
