"""The office console's access: one-time login links (signed, bound to a user, stored), browser sessions, the signing key.

Expiry is judged against the injected clock, never the host's: a link lives 10 minutes, a session 8 hours.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from storage.models import ConsoleLogin, ConsoleSession, SharedSecret
from storage.upsert import insert_absent

LINK_LIFETIME = timedelta(minutes=10)
SESSION_LIFETIME = timedelta(hours=8)
SIGNING_KEY = "console-signing-key"
_SEPARATOR = "."


class SignedIn(NamedTuple):
    """A live session: whose it is and the token its forms post back."""

    user_id: str
    csrf: str


def shared_secret(*, session: Session, name: str) -> bytes:
    """The deployment's secret called `name`, made at random by the first caller; every worker reads the same one."""
    insert_absent(session, SharedSecret, [{"name": name, "value": secrets.token_hex(32)}])
    return bytes.fromhex(session.exec(select(SharedSecret.value).where(SharedSecret.name == name)).one())


def issue_login(*, session: Session, user_id: str, now: datetime) -> str:
    """A new one-time login token for the user, valid LINK_LIFETIME; spent and expired ones are cleared on the way."""
    session.execute(delete(ConsoleLogin).where(col(ConsoleLogin.expires_at) < now))
    session.execute(delete(ConsoleSession).where(col(ConsoleSession.expires_at) < now))
    token_id = secrets.token_urlsafe(24)
    expires_at = now + LINK_LIFETIME
    session.add(ConsoleLogin(id=token_id, user_id=user_id, expires_at=expires_at))
    session.flush()
    return token_id + _SEPARATOR + _signature(session, token_id, user_id, expires_at)


def redeem_login(*, session: Session, token: str, now: datetime) -> str | None:
    """The user a token signs in, spending it; None when it is forged, unknown, expired or spent already.

    One conditional UPDATE spends it, so two browsers racing with the same link never both get in.
    """
    token_id, _, signature = token.partition(_SEPARATOR)
    row = session.get(ConsoleLogin, token_id) if token_id and signature else None
    if row is None or not hmac.compare_digest(signature, _signature(session, row.id, row.user_id, row.expires_at)):
        return None
    spend = update(ConsoleLogin).where(col(ConsoleLogin.id) == token_id, col(ConsoleLogin.used_at).is_(None), col(ConsoleLogin.expires_at) > now)
    spent = session.execute(spend.values(used_at=now).returning(ConsoleLogin.id)).first()
    return row.user_id if spent else None


def open_session(*, session: Session, user_id: str, now: datetime) -> str:
    """A new browser session for the user; the cookie's value (only its hash is stored)."""
    cookie = secrets.token_urlsafe(32)
    session.add(ConsoleSession(id=_hashed(cookie), user_id=user_id, csrf=secrets.token_urlsafe(24), expires_at=now + SESSION_LIFETIME))
    session.flush()
    return cookie


def signed_in(*, session: Session, cookie: str, now: datetime) -> SignedIn | None:
    """The live session behind a cookie's value, or None (no such session, or past its 8 hours)."""
    row = session.get(ConsoleSession, _hashed(cookie)) if cookie else None
    return SignedIn(row.user_id, row.csrf) if row is not None and row.expires_at > now else None


def close_session(*, session: Session, cookie: str) -> None:
    session.execute(delete(ConsoleSession).where(col(ConsoleSession.id) == _hashed(cookie)))


def _signature(session: Session, token_id: str, user_id: str, expires_at: datetime) -> str:
    """HMAC-SHA256 over the token's id, user and expiry with the deployment's key, URL-safe."""
    message = "\n".join((token_id, user_id, str(int(expires_at.timestamp())))).encode()
    digest = hmac.new(shared_secret(session=session, name=SIGNING_KEY), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _hashed(cookie: str) -> str:
    return hashlib.sha256(cookie.encode()).hexdigest()
