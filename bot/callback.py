"""The WeCom callback endpoint: verify, decrypt, dedupe-and-dispatch, encrypt the passive reply.

WeCom rules (developer.work.weixin.qq.com/document/path/90238 and 90968): answer within 5 s or
WeCom retries (3 times in all); HTTP 200 with an empty body means "no passive reply".
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request
from wechatpy.enterprise import create_reply, parse_message

from bot.callback_crypto import WeComCrypto
from bot.edge import message_fields, no_reply, or_refuse, passive_reply, refuse_replays, required_args
from handlers.base import MEDIA_KINDS, Incoming

blueprint = Blueprint("wecom", __name__)


def _crypto() -> WeComCrypto:
    return current_app.extensions["bot"].crypto


@blueprint.get("/wecom/callback")
def verify_url():
    """WeCom's URL verification: answer the decrypted echostr, bare."""
    args = required_args("msg_signature", "timestamp", "nonce", "echostr")
    echo = or_refuse(lambda: _crypto().check_signature(args["msg_signature"], args["timestamp"], args["nonce"], args["echostr"]))
    return Response(echo, mimetype="text/plain")


@blueprint.post("/wecom/callback")
def receive():
    """A member's message or event: decrypt, handle once, answer with an encrypted passive reply (or nothing)."""
    args = required_args("msg_signature", "timestamp", "nonce")
    refuse_replays(args["timestamp"])
    plain = or_refuse(lambda: _crypto().decrypt_message(request.get_data(), args["msg_signature"], args["timestamp"], args["nonce"]))
    xml = passive_reply(plain, parse=parse_message, convert=to_incoming, create_reply=create_reply)
    if xml is None:
        return no_reply()
    return Response(_crypto().encrypt_message(xml, args["nonce"], args["timestamp"]), mimetype="application/xml")


def to_incoming(message) -> Incoming:
    """Convert a wechatpy message into our Incoming; raises KeyError/TypeError when fields are missing."""
    data = message._data
    fields = message_fields(data)
    media = {"media_id": data["MediaId"]} if fields["kind"] in MEDIA_KINDS else {}
    return Incoming(user_id=fields.pop("sender"), **fields, **media)
