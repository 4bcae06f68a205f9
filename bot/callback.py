"""The WeCom callback endpoint: verify, decrypt, dedupe-and-dispatch, encrypt the passive reply.

WeCom rules (developer.work.weixin.qq.com/document/path/90238 and 90968): answer within 5 s or
WeCom retries (3 times in all); HTTP 200 with an empty body means "no passive reply".
"""

from __future__ import annotations

import logging
from xml.parsers.expat import ExpatError

from flask import Blueprint, Response, abort, current_app, request
from wechatpy.enterprise import WeChatCrypto, create_reply, parse_message
from wechatpy.enterprise.exceptions import InvalidCorpIdException
from wechatpy.exceptions import InvalidSignatureException

from handlers.base import Incoming, clean_text

log = logging.getLogger(__name__)

MAX_CLOCK_SKEW_SECONDS = 300  # wechatpy never checks the timestamp's age; replays older than this are refused
FORBIDDEN = (InvalidSignatureException, InvalidCorpIdException)
MALFORMED = (ExpatError, UnicodeDecodeError, ValueError, TypeError, KeyError, AttributeError)

blueprint = Blueprint("wecom", __name__)


def _crypto() -> WeChatCrypto:
    return current_app.extensions["bot"].crypto


@blueprint.get("/wecom/callback")
def verify_url():
    """WeCom's URL verification: answer the decrypted echostr, bare."""
    args = _required_args("msg_signature", "timestamp", "nonce", "echostr")
    try:
        echo = _crypto().check_signature(args["msg_signature"], args["timestamp"], args["nonce"], args["echostr"])
    except FORBIDDEN:
        abort(403)
    except MALFORMED:
        abort(400)
    return Response(echo, mimetype="text/plain")


@blueprint.post("/wecom/callback")
def receive():
    args = _required_args("msg_signature", "timestamp", "nonce")
    _refuse_replays(args["timestamp"])
    try:
        plain = _crypto().decrypt_message(request.get_data(), args["msg_signature"], args["timestamp"], args["nonce"])
        message = parse_message(plain)
        incoming = to_incoming(message)
    except FORBIDDEN:
        abort(403)
    except MALFORMED:
        abort(400)
    reply = current_app.extensions["bot"].handle(incoming)
    if reply is None:
        return Response("", mimetype="text/plain")
    xml = create_reply(neutralise_cdata(reply.text), message).render()
    return Response(_crypto().encrypt_message(xml, args["nonce"], args["timestamp"]), mimetype="application/xml")


def to_incoming(message) -> Incoming:
    """Convert a wechatpy message into our Incoming; raises KeyError/TypeError when fields are missing."""
    data = message._data
    kind = data["MsgType"].lower()
    user = data["FromUserName"]
    if not user:
        raise ValueError("no sender")
    key = f"msg:{data['MsgId']}" if data.get("MsgId") else f"event:{user}:{data['CreateTime']}"
    text = clean_text(data.get("Content") or "") if kind == "text" else ""
    return Incoming(user_id=user, text=text, kind=kind, key=key)


def neutralise_cdata(text: str) -> str:
    """wechatpy wraps reply text in CDATA unescaped; split any "]]>" so the text arrives unchanged."""
    return text.replace("]]>", "]]]]><![CDATA[>")


def _required_args(*names: str) -> dict[str, str]:
    missing = [n for n in names if not request.args.get(n)]
    if missing:
        abort(400)
    return {n: request.args[n] for n in names}


def _refuse_replays(timestamp: str) -> None:
    clock = current_app.extensions["bot"].clock
    try:
        age = abs(clock().timestamp() - int(timestamp))
    except ValueError:
        abort(400)
    if age > MAX_CLOCK_SKEW_SECONDS:
        abort(403)
