"""What both callback edges share (WeCom's app in bot/callback.py, the official account in bot/wechat_callback.py).

Hostile or broken input is expected, not a bug: a forged request ends in 403, a malformed one in 400,
each with one warning line and no traceback, never a 500. wechatpy parses the outer XML before it
checks a signature, so unauthenticated bytes reach the parser: the body is capped by Flask's
MAX_CONTENT_LENGTH (413) and every exception the parsers raise on bad input is mapped here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import NoReturn
from xml.parsers.expat import ExpatError

from flask import Response, abort, current_app, request
from wechatpy.enterprise.exceptions import InvalidCorpIdException
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException

from handlers.base import clean_text

log = logging.getLogger(__name__)

MAX_CLOCK_SKEW_SECONDS = 300  # wechatpy never checks the timestamp's age; replays older than this are refused
FORBIDDEN = (InvalidSignatureException, InvalidCorpIdException, InvalidAppIdException)
# What wechatpy and our conversion raise on bad input (MalformedCiphertext and UnicodeDecodeError are ValueErrors)
MALFORMED = (ExpatError, ValueError, TypeError, KeyError, AttributeError)


def or_refuse(step: Callable):
    """Run one step on untrusted input; a forged or malformed request ends in 403 or 400 and one warning line."""
    try:
        return step()
    except FORBIDDEN as exc:
        refuse(403, exc)
    except MALFORMED as exc:
        refuse(400, exc)


def refuse(status: int, exc: Exception) -> NoReturn:
    """One warning line, no traceback: hostile input is expected, not a bug to debug."""
    log.warning("callback refused with %d from %s: %s: %r", status, request.remote_addr, type(exc).__name__, str(exc)[:200])
    abort(status)


def required_args(*names: str) -> dict[str, str]:
    args = request.args
    if not all(args.get(n) for n in names):
        abort(400)
    return {n: args[n] for n in names}


def refuse_replays(timestamp: str) -> None:
    """A timestamp more than MAX_CLOCK_SKEW_SECONDS from the bot's clock is a replay (or a forgery): 403."""
    clock = current_app.extensions["bot"].clock
    try:
        age = abs(clock().timestamp() - int(timestamp))
    except ValueError:
        abort(400)
    if age > MAX_CLOCK_SKEW_SECONDS:
        abort(403)


def passive_reply(plain, *, parse: Callable, convert: Callable, create_reply: Callable) -> str | None:
    """Handle a decrypted message once through the bot: its passive reply as XML, or None when it has none.

    `parse` and `create_reply` are wechatpy's for the platform (WeCom's or the official account's); `convert` turns
    the parsed message into our Incoming.
    """
    message = or_refuse(lambda: parse(plain))
    incoming = or_refuse(lambda: convert(message))
    reply = current_app.extensions["bot"].handle(incoming)
    return None if reply is None else create_reply(neutralise_cdata(reply.text), message).render()


def no_reply() -> Response:
    """HTTP 200 with an empty body: received, no passive reply."""
    return Response("", mimetype="text/plain")


def neutralise_cdata(text: str) -> str:
    """wechatpy wraps reply text in CDATA unescaped; split any "]]>" so the text arrives unchanged."""
    return text.replace("]]>", "]]]]><![CDATA[>")


def message_fields(data: dict) -> dict:
    """What every message carries, read from wechatpy's parsed XML: kind, sender, text or event, a link's title and address.

    Raises KeyError or ValueError when a field the kind needs is missing.
    """
    kind = data["MsgType"].lower()
    sender = data["FromUserName"]
    if not sender:
        raise ValueError("no sender")
    fields = {"kind": kind, "sender": sender, "text": clean_text(data.get("Content") or "") if kind == "text" else ""}
    fields["event"] = (data.get("Event") or "").lower() if kind == "event" else ""
    fields["key"] = f"msg:{data['MsgId']}" if data.get("MsgId") else f"event:{sender}:{data['CreateTime']}"
    if kind == "link":
        fields |= {"title": clean_text(data.get("Title") or ""), "url": clean_text(data.get("Url") or "")}
    return fields
