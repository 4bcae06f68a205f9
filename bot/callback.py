"""The WeCom callback endpoint: verify, decrypt, dedupe-and-dispatch, encrypt the passive reply.

WeCom rules (developer.work.weixin.qq.com/document/path/90238 and 90968): answer within 5 s or
WeCom retries (3 times in all); HTTP 200 with an empty body means "no passive reply".
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import NoReturn
from xml.parsers.expat import ExpatError

from flask import Blueprint, Response, abort, current_app, request
from wechatpy.enterprise import create_reply, parse_message
from wechatpy.enterprise.exceptions import InvalidCorpIdException
from wechatpy.exceptions import InvalidSignatureException

from bot.wecom_crypto import WeComCrypto
from handlers.base import MEDIA_KINDS, Incoming, clean_text

log = logging.getLogger(__name__)

MAX_CLOCK_SKEW_SECONDS = 300  # wechatpy never checks the timestamp's age; replays older than this are refused
FORBIDDEN = (InvalidSignatureException, InvalidCorpIdException)
# What wechatpy and our conversion raise on bad input (MalformedCiphertext and UnicodeDecodeError are ValueErrors)
MALFORMED = (ExpatError, ValueError, TypeError, KeyError, AttributeError)

blueprint = Blueprint("wecom", __name__)


def _crypto() -> WeComCrypto:
    return current_app.extensions["bot"].crypto


@blueprint.get("/wecom/callback")
def verify_url():
    """WeCom's URL verification: answer the decrypted echostr, bare."""
    args = _required_args("msg_signature", "timestamp", "nonce", "echostr")
    echo = _or_refuse(lambda: _crypto().check_signature(args["msg_signature"], args["timestamp"], args["nonce"], args["echostr"]))
    return Response(echo, mimetype="text/plain")


@blueprint.post("/wecom/callback")
def receive():
    """A member's message or event: decrypt, handle once, answer with an encrypted passive reply (or nothing)."""
    args = _required_args("msg_signature", "timestamp", "nonce")
    _refuse_replays(args["timestamp"])
    plain = _or_refuse(lambda: _crypto().decrypt_message(request.get_data(), args["msg_signature"], args["timestamp"], args["nonce"]))
    message = _or_refuse(lambda: parse_message(plain))
    incoming = _or_refuse(lambda: to_incoming(message))
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
    event = (data.get("Event") or "").lower() if kind == "event" else ""
    return Incoming(user_id=user, text=text, kind=kind, key=key, event=event, **_shared(kind, data))


def _shared(kind: str, data: dict) -> dict:
    """What a link (Title, Url) or an image or video (MediaId) carries; nothing for other kinds."""
    if kind == "link":
        return {"title": clean_text(data.get("Title") or ""), "url": clean_text(data.get("Url") or "")}
    if kind in MEDIA_KINDS:
        return {"media_id": data["MediaId"]}
    return {}


def neutralise_cdata(text: str) -> str:
    """wechatpy wraps reply text in CDATA unescaped; split any "]]>" so the text arrives unchanged."""
    return text.replace("]]>", "]]]]><![CDATA[>")


def _or_refuse(step: Callable):
    """Run one step on untrusted input; a forged or malformed request ends in 403 or 400 and one warning line."""
    try:
        return step()
    except FORBIDDEN as exc:
        _refuse(403, exc)
    except MALFORMED as exc:
        _refuse(400, exc)


def _refuse(status: int, exc: Exception) -> NoReturn:
    """One warning line, no traceback: hostile input is expected, not a bug to debug."""
    log.warning("callback refused with %d from %s: %s: %r", status, request.remote_addr, type(exc).__name__, str(exc)[:200])
    abort(status)


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
