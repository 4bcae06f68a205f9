"""Followers of the WeChat official account bound to members, the one-time codes that bind them, and wrong codes counted.

A member binds once: an admin issues a 6-digit code (valid 24 hours, usable once) and the member sends it
to the official account; their openid then stands for their userid. Guessing is bounded: a follower who
sent MAX_FAILURES wrong codes within FAILURE_WINDOW waits until the window has passed.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from enum import Enum
from typing import NamedTuple

from sqlalchemy import delete, or_, update
from sqlmodel import Session, col, select

from storage.models import BindCode, BindFailure, Follower, Membership, Person
from storage.upsert import insert_if_absent

CODE_VALID = timedelta(hours=24)
CODE_DIGITS = 6
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(hours=1)


class Refused(Enum):
    """Why a code did not bind: not issued (or used already), past its 24 hours, or too many wrong codes from this follower."""

    WRONG = "wrong"
    EXPIRED = "expired"
    TOO_MANY = "too_many"


class Bound(NamedTuple):
    """A follower bound to a member."""

    openid: str
    user_id: str
    bound_at: datetime
    unsubscribed_at: datetime | None


def issue_code(*, session: Session, user_id: str, by: str, now: datetime) -> str:
    """A fresh code for the member; their earlier codes, and every expired one, are deleted."""
    session.execute(delete(BindCode).where(or_(BindCode.user_id == user_id, col(BindCode.issued_at) <= now - CODE_VALID)))
    while True:
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        if insert_if_absent(session, BindCode, code=code, user_id=user_id, issued_by=by, issued_at=now):
            return code


def code_expiry(issued_at: datetime) -> datetime:
    return issued_at + CODE_VALID


def redeem_code(*, session: Session, code: str, openid: str, now: datetime) -> str | Refused:
    """Bind the follower to the member the code was issued for (their userid), using the code up; or why not.

    A member has one WeChat: binding another replaces it, and this WeChat's earlier binding goes too.
    """
    if _failures(session, openid, now) >= MAX_FAILURES:
        return Refused.TOO_MANY
    issued = session.get(BindCode, code)
    if issued is None or now - issued.issued_at >= CODE_VALID:
        _count_failure(session, openid, now)
        return Refused.WRONG if issued is None else Refused.EXPIRED
    user_id = issued.user_id
    if session.execute(delete(BindCode).where(BindCode.code == code)).rowcount != 1:
        return Refused.WRONG  # another follower used it a moment ago: the delete waited for theirs, and found none
    session.execute(delete(BindFailure).where(BindFailure.openid == openid))
    session.execute(delete(Follower).where(or_(Follower.openid == openid, Follower.user_id == user_id)))
    session.add(Follower(openid=openid, user_id=user_id, bound_at=now))
    session.flush()
    return user_id


def _failures(session: Session, openid: str, now: datetime) -> int:
    row = session.get(BindFailure, openid)
    return row.failures if row is not None and now - row.since < FAILURE_WINDOW else 0


def _count_failure(session: Session, openid: str, now: datetime) -> None:
    """One more wrong code; counting starts afresh once the window has passed (stale rows of others go then too)."""
    session.execute(delete(BindFailure).where(col(BindFailure.since) <= now - FAILURE_WINDOW))
    row = session.get(BindFailure, openid) or BindFailure(openid=openid, failures=0, since=now)
    row.failures += 1
    session.add(row)
    session.flush()


def follower(*, session: Session, openid: str) -> Bound | None:
    """The member this follower is bound to, or None for a stranger."""
    row = session.get(Follower, openid)
    return None if row is None else Bound(row.openid, row.user_id, row.bound_at, row.unsubscribed_at)


class Listed(NamedTuple):
    """A binding as admins list it: the member, their unit (None for an admin who reports for none), since when."""

    user_id: str
    unit_id: str | None
    bound_at: datetime
    unsubscribed_at: datetime | None


def bound_members(*, session: Session) -> list[Listed]:
    """Every binding with the member's unit, by unit (admins without one last), oldest first within it."""
    statement = (
        select(Follower.user_id, Membership.unit_id, Follower.bound_at, Follower.unsubscribed_at)
        .outerjoin(Membership, Membership.user_id == Follower.user_id)
        .order_by(col(Membership.unit_id).is_(None), Membership.unit_id, Follower.bound_at, Follower.user_id)
    )
    return [Listed(*row) for row in session.exec(statement).all()]


def unbind(*, session: Session, openid: str | None = None, user_id: str | None = None) -> bool:
    """Drop the binding of this follower, or of this member; False when there was none."""
    where = Follower.openid == openid if openid is not None else Follower.user_id == user_id
    return session.execute(delete(Follower).where(where)).rowcount > 0


def record_subscription(*, session: Session, openid: str, unsubscribed_at: datetime | None) -> None:
    """The follower unfollowed the account (at that moment), or followed it again (None)."""
    session.execute(update(Follower).where(Follower.openid == openid).values(unsubscribed_at=unsubscribed_at))


class Reachable(NamedTuple):
    """A member to tell on WeChat: their unit, userid and openid."""

    unit_id: str
    user_id: str
    openid: str


def wechat_only(*, session: Session, unit_ids: Iterable[str]) -> list[Reachable]:
    """The units' members bound on WeChat (and still following) whom WeCom's directory does not know to be its users.

    A member WeCom knows sees the unit's group; one WeCom does not know (not asked yet included) is told on WeChat.
    """
    statement = (
        select(Membership.unit_id, Follower.user_id, Follower.openid)
        .join(Membership, Membership.user_id == Follower.user_id)
        .outerjoin(Person, Person.user_id == Follower.user_id)
        .where(col(Membership.unit_id).in_(list(unit_ids)), col(Follower.unsubscribed_at).is_(None), col(Person.in_wecom).is_not(True))
        .order_by(Membership.unit_id, Follower.user_id)
    )
    return [Reachable(*row) for row in session.exec(statement).all()]
