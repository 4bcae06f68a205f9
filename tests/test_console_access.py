"""Who gets into the office console: the one-time link of 控制台, its session cookie, members kept to their own unit,
CSRF on every POST, WeCom's web authorisation; and hostile addresses answered without a 500."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

import pytest

from bot.app import create_app
from bot.runtime import build_bot, run_inline
from tests.support.chat import Chat
from tests.support.config import make_config, wecom_config
from tests.support.console import PUBLIC_URL, csrf_of, link_in, path_of, sign_in
from tests.support.fakes import FakeMessenger, FakeSleep
from tests.support.wecom_sim import WeComSim, wecom_for

PAGES = ["/console/", "/console/week", "/console/week/2026-W48", "/console/grid", "/console/campaign", "/console/events",
         "/console/unit/jinghong", "/console/report/jinghong/2026-W48", "/console/week/2026-W48/download/xlsx"]
ADMIN_PAGES = ["/console/week", "/console/grid", "/console/campaign", "/console/events", "/console/week/2026-W48/download/xlsx"]


@pytest.fixture
def console_bot(db_url, clock, messenger):
    config = make_config(db_url, server={"public_url": PUBLIC_URL})
    return build_bot(config, messenger=messenger, clock=clock, background=run_inline, sleep=FakeSleep(clock))


@pytest.fixture
def client(console_bot):
    return create_app(console_bot).test_client()


@pytest.fixture
def wecom(client, clock):
    return WeComSim(client, now=lambda: clock().timestamp())


def login_path(wecom, user: str = "admin1") -> str:
    return path_of(link_in(Chat(wecom, user).say("控制台")))


def test_the_chat_link_opens_the_console_once_with_a_session_cookie(client, wecom):
    reply = Chat(wecom, "admin1").say("控制台")
    assert reply.startswith("控制台登录链接（10 分钟内有效，仅可使用一次") and link_in(reply).startswith(f"{PUBLIC_URL}/console/login?token=")
    opened = client.get(path_of(link_in(reply)))
    assert opened.status_code == 302 and opened.headers["Location"] == "/console/"
    cookie = opened.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Max-Age=28800" in cookie and "Path=/console" in cookie
    assert "Secure" not in cookie  # a plain-HTTP public_url: a Secure cookie would never come back
    assert client.get("/console/").headers["Location"] == "/console/week/2026-W48"
    assert "2026年第48周" in client.get("/console/week").get_data(as_text=True)


def test_a_link_used_once_expired_or_forged_lets_nobody_in(client, wecom, clock):
    used = login_path(wecom)
    assert client.get(used).status_code == 302
    client.delete_cookie("console_session", path="/console")
    for path in (used, login_path(wecom)[:-3] + "abc", "/console/login?token=nothing.here", "/console/login", "/console/login?token=.."):
        answer = client.get(path)
        assert answer.headers["Location"] == "/console/signin?why=link", path
        assert "Set-Cookie" not in answer.headers
    late = login_path(wecom)
    clock.advance(minutes=10, seconds=1)
    assert client.get(late).headers["Location"] == "/console/signin?why=link"
    assert client.get("/console/grid").status_code == 302


def test_a_link_is_bound_to_its_user(client, wecom):
    """A member's link signs in the member, whoever opens it: it never becomes an admin's."""
    client.get(login_path(wecom, "jh1"))
    assert client.get("/console/").headers["Location"] == "/console/unit/jinghong"
    assert client.get("/console/week").status_code == 403


@pytest.mark.parametrize("path", PAGES)
def test_without_a_session_every_page_sends_to_the_sign_in_page(client, path):
    answer = client.get(path)
    assert answer.status_code == 302 and answer.headers["Location"].startswith("/console/signin")
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "发送“控制台”" in page and "景洪" not in page


def test_a_session_ends_after_8_hours(client, wecom, clock):
    client.get(login_path(wecom))
    clock.advance(hours=7, minutes=59)
    assert client.get("/console/week").status_code == 200
    clock.advance(minutes=2)
    assert client.get("/console/week").status_code == 302


def test_a_session_cookie_is_secure_when_the_console_is_served_over_https(db_url, clock, messenger):
    config = make_config(db_url, server={"public_url": "https://bot.example.gov.cn"})
    bot = build_bot(config, messenger=messenger, clock=clock, background=run_inline, sleep=FakeSleep(clock))
    client = create_app(bot).test_client()
    reply = Chat(WeComSim(client, now=lambda: clock().timestamp()), "admin1").say("控制台")
    assert link_in(reply).startswith("https://bot.example.gov.cn/console/login?token=")
    assert "Secure" in client.get(path_of(link_in(reply))).headers["Set-Cookie"]


def test_a_member_sees_their_own_unit_only(client, console_bot):
    sign_in(console_bot, client, "jh1")
    assert client.get("/console/unit/jinghong").status_code == 200
    assert client.get("/console/report/jinghong/2026-W48").status_code == 200
    for path in ("/console/unit/mengla", "/console/report/mengla/2026-W48", *ADMIN_PAGES):
        answer = client.get(path)
        assert answer.status_code == 403, path
        assert "勐腊" not in answer.get_data(as_text=True)


def test_someone_who_left_every_unit_keeps_no_access(client, console_bot, db_url, clock, messenger):
    sign_in(console_bot, client, "jh1")
    others = [u for u in make_config(db_url).units if u.id != "jinghong"]
    moved = build_bot(replace(console_bot.config, units=others), messenger=messenger, clock=clock)
    assert client.get("/console/unit/jinghong").status_code == 403
    moved.engine.dispose()


def test_every_post_needs_the_sessions_csrf_token(client, console_bot, messenger):
    sign_in(console_bot, client, "admin1")
    for data in ({}, {"csrf": "forged"}):
        assert client.post("/console/logout", data=data).status_code == 400
        assert client.post("/console/week/2026-W48/chase", data={**data, "unit": "mengla"}).status_code == 400
    assert messenger.sent == []
    assert client.get("/console/week").status_code == 200  # still signed in
    token = csrf_of(client.get("/console/week").get_data(as_text=True))
    assert client.post("/console/logout", data={"csrf": token}).headers["Location"] == "/console/signin?why=out"
    assert client.get("/console/week").status_code == 302


def test_a_post_without_a_session_changes_nothing(client, messenger):
    assert client.post("/console/week/2026-W48/chase", data={"unit": "mengla"}).status_code == 302
    assert messenger.sent == []


def test_without_public_url_the_chat_says_the_console_is_not_configured(bot):
    wecom = wecom_for(bot)  # the suite's bot: no public_url
    assert "[server] public_url" in Chat(wecom, "admin1").say("控制台")
    assert Chat(wecom, "jh1").say("控制台") == "控制台尚未开通，请联系中院办公室。"


@pytest.mark.parametrize("path", [
    "/console/week/garbage", "/console/week/2026-W99", "/console/week/2026-w48", "/console/report/jinghong/x",
    "/console/report/nowhere/2026-W48", "/console/unit/nowhere", "/console/week/2026-W48/download/pdf",
    "/console/grid?page=abc&sort=%00&span=x", "/console/campaign?page=-5", "/console/week/9999-W52",
])
def test_hostile_addresses_are_answered_without_a_500(client, console_bot, path):
    sign_in(console_bot, client, "admin1")
    assert client.get(path).status_code in (200, 404)


@pytest.fixture
def oauth_client(fake_wecom, tmp_path, db_url, clock):
    config = wecom_config(fake_wecom, tmp_path)
    config = replace(config, storage=replace(config.storage, url=db_url), server=replace(config.server, public_url=PUBLIC_URL),
                     wecom=replace(config.wecom, authorize_url=fake_wecom.authorize_url))
    bot = build_bot(config, messenger=FakeMessenger(), clock=clock, background=run_inline, sleep=FakeSleep(clock))
    return create_app(bot).test_client()


def test_inside_wecom_the_console_signs_in_by_web_authorisation(oauth_client, fake_wecom):
    fake_wecom.signed_in = "admin1"
    inside = {"User-Agent": "Mozilla/5.0 (iPhone) wxwork/4.1.22 MicroMessenger/7.0.1"}
    to_signin = oauth_client.get("/console/week/2026-W47", headers=inside).headers["Location"]
    to_oauth = oauth_client.get(to_signin, headers=inside).headers["Location"]
    to_wecom = oauth_client.get(to_oauth, headers=inside).headers["Location"]
    authorize, fragment = to_wecom.split("#")
    query = parse_qs(urlsplit(authorize).query)
    assert authorize.startswith(fake_wecom.authorize_url) and fragment == "wechat_redirect"
    assert query["appid"] == ["wx5823bf96d3bd56c7"] and query["agentid"] == ["1000002"] and query["scope"] == ["snsapi_base"]
    assert query["redirect_uri"] == [f"{PUBLIC_URL}/console/oauth/callback"]
    code = "CODE-admin1"
    fake_wecom.codes[code] = "admin1"
    back = oauth_client.get(f"/console/oauth/callback?code={code}&state={query['state'][0]}", headers=inside)
    assert back.status_code == 302 and back.headers["Location"] == "/console/week/2026-W47"
    assert oauth_client.get("/console/week/2026-W47").status_code == 200
    assert [c.query["code"] for c in fake_wecom.calls_to("auth/getuserinfo")] == [code]


def test_web_authorisation_refuses_a_foreign_state_and_an_unknown_code(oauth_client, fake_wecom):
    oauth_client.get("/console/oauth")
    fake_wecom.codes["GOOD"] = "admin1"
    assert oauth_client.get("/console/oauth/callback?code=GOOD&state=forged").headers["Location"] == "/console/signin?why=oauth"
    state = parse_qs(urlsplit(oauth_client.get("/console/oauth").headers["Location"].split("#")[0]).query)["state"][0]
    assert oauth_client.get(f"/console/oauth/callback?code=UNKNOWN&state={state}").headers["Location"] == "/console/signin?why=oauth"
    assert oauth_client.get("/console/week").status_code == 302
    assert "企业微信网页授权未完成" in oauth_client.get("/console/signin?why=oauth").get_data(as_text=True)


@pytest.mark.parametrize("next_path", ["https://evil.example/", "//evil.example/", "/console/login?token=x", "/elsewhere"])
def test_after_web_authorisation_only_a_console_page_is_returned_to(oauth_client, next_path):
    inside = {"User-Agent": "Mozilla/5.0 wxwork/4.1"}
    to_oauth = oauth_client.get("/console/signin", query_string={"next": next_path}, headers=inside).headers["Location"]
    assert parse_qs(urlsplit(to_oauth).query)["next"] == ["/console/"]
