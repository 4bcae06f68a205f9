"""The office console in tests: the link `控制台` answers with, and a browser (test client) signed in as a user."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from storage.console import open_session
from storage.engine import session_scope

COOKIE = "console_session"
PUBLIC_URL = "http://127.0.0.1:8080"


def link_in(reply: str) -> str:
    """The console link in a reply of `控制台`."""
    return re.search(r"https?://\S+", reply).group(0)


def path_of(url: str) -> str:
    """The path and query of a console address, for the test client."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def sign_in(bot, client, user_id: str) -> None:
    """Give the test client a live session of `user_id`, as the link of `控制台` would."""
    with session_scope(bot.engine) as session:
        cookie = open_session(session=session, user_id=user_id, now=bot.clock())
    client.set_cookie(COOKIE, cookie, path="/console")


def csrf_of(html: str) -> str:
    """The CSRF token a page's forms post back."""
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)
