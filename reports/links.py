"""Addresses of the office console's pages, as chat replies and pushes give them: `[server] public_url` and a path."""

from __future__ import annotations

from urllib.parse import urlencode

LOGIN_PATH = "/console/login"
WEEK_PATH = "/console/week/{week}"


def console_link(public_url: str, path: str) -> str:
    return public_url.rstrip("/") + path


def login_link(public_url: str, token: str) -> str:
    """The one-time link `控制台` answers with."""
    return console_link(public_url, f"{LOGIN_PATH}?{urlencode({'token': token})}")


def week_link(public_url: str, week: str) -> str:
    """The week's page: every unit's status, counts and the downloads."""
    return console_link(public_url, WEEK_PATH.format(week=week))
