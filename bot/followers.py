"""The official account's followers at the edge: an openid becomes its bound member's userid before the dispatcher sees the
message, so drafts, rules and roles are the member's on either channel; a follower bound to no one is answered apart."""

from __future__ import annotations

from dataclasses import replace

from sqlmodel import Session

from handlers.base import Env, Incoming
from handlers.binding import answer_stranger
from handlers.dispatcher import SUBSCRIBE, Handled
from handlers.router import Router
from storage.bindings import follower, record_subscription

UNSUBSCRIBE = "unsubscribe"


def as_member(msg: Incoming, *, session: Session, env: Env, router: Router) -> Incoming | Handled:
    """The message as its bound member's, or what is answered at once: a stranger's, or an unfollowing (recorded, no reply)."""
    if msg.event == UNSUBSCRIBE:
        record_subscription(session=session, openid=msg.openid, unsubscribed_at=env.clock())
        return Handled(None)
    bound = follower(session=session, openid=msg.openid)
    if bound is None:
        return answer_stranger(msg, session, env, router)
    if msg.event == SUBSCRIBE and bound.unsubscribed_at is not None:
        record_subscription(session=session, openid=msg.openid, unsubscribed_at=None)
    return replace(msg, user_id=bound.user_id)
