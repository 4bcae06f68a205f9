"""Who may see the console: one-time links from `控制台`, WeCom's web authorisation, cookie sessions, CSRF on every POST.

Without a live session every page answers 302 to the sign-in page, which says to send `控制台` in WeCom (or, opened
in WeCom's browser with the app's secret set, goes through WeCom's web authorisation). A member sees their own unit only.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import Blueprint, Response, abort, current_app, g, redirect, render_template, request, url_for
from sqlmodel import Session

from bot.console import texts
from bot.console.wecom_auth import AuthError, authorize_url, user_of_code
from bot.runtime import Bot
from handlers.dispatcher import identify
from reports.links import LOGIN_PATH, console_link
from storage.console import SESSION_LIFETIME, close_session, open_session, redeem_login, signed_in
from storage.engine import session_scope
from storage.people import known_names
from storage.units import UnitRef

log = logging.getLogger(__name__)

COOKIE = "console_session"
STATE_COOKIE = "console_oauth"  # the OAuth state and where to go after it
STATE_LIFETIME = 300  # seconds: WeCom's code lives 5 minutes
WECOM_BROWSER = "wxwork"  # in the User-Agent of WeCom's built-in browser
PUBLIC = {"console.signin", "console.login", "console.oauth", "console.oauth_callback", "console.static"}

blueprint = Blueprint("console", __name__, url_prefix="/console", template_folder="templates", static_folder="static")


@dataclass(frozen=True)
class Viewer:
    """The signed-in user: an office admin sees every unit, a member their own."""

    user_id: str
    name: str
    unit: UnitRef | None
    is_admin: bool
    csrf: str

    def may_see(self, unit_id: str) -> bool:
        return self.is_admin or (self.unit is not None and self.unit.id == unit_id)


def the_bot() -> Bot:
    return current_app.extensions["bot"]


@contextmanager
def transaction() -> Iterator[Session]:
    with session_scope(the_bot().engine) as session:
        yield session


def viewer() -> Viewer:
    return g.viewer


def admins_only() -> None:
    if not viewer().is_admin:
        abort(403)


@blueprint.before_request
def require_session():
    """Every page but sign-in needs a live session of an admin or a member; every POST its session's CSRF token."""
    if request.endpoint in PUBLIC:
        return None
    bot = the_bot()
    with transaction() as session:
        signed = signed_in(session=session, cookie=request.cookies.get(COOKIE, ""), now=bot.clock())
        if signed is None:
            return redirect(url_for("console.signin", next=_next_of(request.full_path)))
        user = identify(session, bot.env, signed.user_id)  # as the chat knows them: their unit, whether an admin
        name = known_names(session=session, user_ids=[user.id]).get(user.id, user.id)
    if user.unit is None and not user.is_admin:
        abort(403)
    g.viewer = Viewer(user.id, name, user.unit, user.is_admin, signed.csrf)
    if request.method == "POST" and not hmac.compare_digest(request.form.get("csrf", ""), signed.csrf):
        abort(400)
    return None


@blueprint.after_request
def guard(response: Response) -> Response:
    """No caching of anyone's data, no framing, and no Referer: a page's address must not reach the sites its articles link to."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'"
    return response


@blueprint.errorhandler(400)
@blueprint.errorhandler(403)
@blueprint.errorhandler(404)
def refused(error):
    message = {400: texts.BAD_FORM, 403: texts.FORBIDDEN, 404: texts.NOT_FOUND}[error.code]
    return render_template("console/message.html", message=message, viewer=g.get("viewer")), error.code


@blueprint.get("/signin")
def signin():
    """Where every page sends a browser without a session; inside WeCom it goes on to web authorisation when it can."""
    if WECOM_BROWSER in request.headers.get("User-Agent", "").lower() and _oauth_ready() and not request.args.get("why"):
        return redirect(url_for("console.oauth", next=_next_of(request.args.get("next", ""))))
    why = request.args.get("why", "")
    return render_template("console/signin.html", message=texts.SIGN_IN_AGAIN.get(why, texts.SIGN_IN_AGAIN[""]), viewer=None)


@blueprint.get(LOGIN_PATH.removeprefix("/console"))
def login():
    """The link `控制台` sent: spent here, once, for a session cookie."""
    now = the_bot().clock()
    with transaction() as session:
        user_id = redeem_login(session=session, token=request.args.get("token", ""), now=now)
        cookie = open_session(session=session, user_id=user_id, now=now) if user_id else None
    if cookie is None:
        return redirect(url_for("console.signin", why="link"))
    return _signed_in(cookie, url_for("console.home"))


@blueprint.get("/oauth")
def oauth():
    """To WeCom's authorize page; it returns to oauth_callback with a code and our state."""
    if not _oauth_ready():
        return redirect(url_for("console.signin", why="oauth"))
    bot = the_bot()
    state = secrets.token_urlsafe(16)
    back = console_link(bot.config.server.public_url, url_for("console.oauth_callback"))
    response = redirect(authorize_url(bot.config, back, state))
    _set_cookie(response, STATE_COOKIE, f"{state} {_next_of(request.args.get('next', ''))}", max_age=STATE_LIFETIME)
    return response


@blueprint.get("/oauth/callback")
def oauth_callback():
    """WeCom's answer: the state must be the one this browser was given, and the code names the member."""
    state, _, after = request.cookies.get(STATE_COOKIE, "").partition(" ")
    code = request.args.get("code", "")
    if not (code and state and hmac.compare_digest(request.args.get("state", ""), state)):
        return redirect(url_for("console.signin", why="oauth"))
    bot = the_bot()
    try:
        user_id = user_of_code(bot.config, code)
    except AuthError as exc:
        log.warning("WeCom web authorisation failed: %s", exc)
        user_id = None
    if user_id is None:
        return redirect(url_for("console.signin", why="oauth"))
    with transaction() as session:
        cookie = open_session(session=session, user_id=user_id, now=bot.clock())
    response = _signed_in(cookie, _next_of(after))
    response.delete_cookie(STATE_COOKIE, path="/console")
    return response


@blueprint.post("/logout")
def logout():
    with transaction() as session:
        close_session(session=session, cookie=request.cookies.get(COOKIE, ""))
    response = redirect(url_for("console.signin", why="out"))
    response.delete_cookie(COOKIE, path="/console")
    return response


def _signed_in(cookie: str, to: str) -> Response:
    response = redirect(to)
    _set_cookie(response, COOKIE, cookie, max_age=int(SESSION_LIFETIME.total_seconds()))
    return response


def _set_cookie(response: Response, name: str, value: str, *, max_age: int) -> None:
    """HttpOnly, SameSite=Lax (a link from the chat still carries it), Secure when the console is served over HTTPS."""
    secure = the_bot().config.server.secure_cookies
    response.set_cookie(name, value, max_age=max_age, path="/console", httponly=True, samesite="Lax", secure=secure)


def _oauth_ready() -> bool:
    """Web authorisation needs the app's secret (for auth/getuserinfo) and the public address (WeCom's redirect)."""
    config = the_bot().config
    return bool(config.wecom.secret and config.server.public_url)


def _next_of(path: str) -> str:
    """A console page to return to; anything else (another site, a scheme) is the home page."""
    path = path.removesuffix("?")
    if path.startswith("/console/") and not path.startswith(("//", "/console/signin", LOGIN_PATH)) and "\\" not in path:
        return path
    return url_for("console.home")
