"""The console in a real browser (Debian's Chromium, headless): signing in through the chat's link, the grid's colours for
a known data set, a report opened from it and printed on A4, the workbook downloaded, web authorisation inside WeCom, and
every page at a desk's and a phone's width, shot into screenshots/ to look at."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

from bot.app import create_app
from bot.runtime import build_bot, run_inline
from tests.support.browser import DESK, PHONE, WECOM_PHONE, background, chromium, overflows, printed_pages, serving, shoot
from tests.support.chat import Chat
from tests.support.config import make_config, shanghai, wecom_config
from tests.support.console import link_in
from tests.support.factories import add_notice, add_report
from tests.support.fakes import FakeSleep
from tests.support.live_server import HttpClient, free_port
from tests.support.wecom_sim import WeComSim

COLOURS = {"ontime": "rgb(46, 125, 50)", "late": "rgb(230, 81, 0)", "missing": "rgb(198, 40, 40)", "exempt": "rgb(158, 158, 158)",
           "returned": "rgb(106, 27, 154)", "notdue": "rgb(255, 255, 255)"}
PAGES = {"week": "/console/week", "grid": "/console/grid", "campaign": "/console/campaign", "events": "/console/events",
         "unit": "/console/unit/jinghong", "report": "/console/report/jinghong/2026-W47"}


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


@pytest.fixture
def live(db_url, clock, messenger):
    """The bot on a real HTTP server at 127.0.0.1, its public_url that address, on a known data set."""
    port = free_port()
    config = make_config(db_url, server={"public_url": f"http://127.0.0.1:{port}"}, schedule={"exempt_weeks": ["2026-W45"]})
    bot = build_bot(config, messenger=messenger, clock=clock, background=run_inline, sleep=FakeSleep(clock))
    with serving(create_app(bot), port) as base_url:
        wecom = WeComSim(HttpClient(base_url), now=lambda: clock().timestamp())
        known_data(bot, wecom)
        yield wecom


def known_data(bot, wecom) -> None:
    """景洪: W44 on time, W45 exempt, W46 late, W47 revised then sent back, W48 on time; 勐腊: W46 on time, W47 and W48 missing."""
    add_report(bot, "jinghong", "2026-W44", shanghai(2026, 10, 30, 9))
    add_report(bot, "jinghong", "2026-W46", shanghai(2026, 11, 14, 9))
    article = ("景洪法院集中清理涉民生案件", "https://mp.weixin.qq.com/s/abc123", "微信公众号")
    live_show = ("执行直播：直击执行现场", "", "执行直播", "州电视台 11月18日 晚间新闻")
    add_report(bot, "jinghong", "2026-W47", shanghai(2026, 11, 19, 9), articles=[article, live_show])
    add_report(bot, "jinghong", "2026-W47", shanghai(2026, 11, 21, 9), by="jh2", effects="直播观看 3 万人次，公众号阅读 1.2 万", articles=[article])
    wecom.say("admin1", "退回 景洪 上周 稿件链接无法打开")
    add_report(bot, "jinghong", "2026-W48", shanghai(2026, 11, 24, 9))
    add_report(bot, "mengla", "2026-W46", shanghai(2026, 11, 12, 9), by="ml1")
    add_notice(bot, "mengla", at=shanghai(2026, 11, 24, 9), event_at=shanghai(2026, 11, 27, 9), theme="涉民生案件集中宣判")
    add_notice(bot, "jinghong", at=shanghai(2026, 11, 25, 9), event_at=shanghai(2026, 11, 26, 15), theme="执行现场直播")


def signed_in_page(browser, wecom, user: str, viewport: dict, **options):
    """A fresh browser window that opened the link `控制台` answered `user` with."""
    page = browser.new_context(viewport=viewport, accept_downloads=True, **options).new_page()
    page.goto(link_in(Chat(wecom, user).say("控制台")))
    return page


def test_the_chat_link_signs_in_and_the_grid_shows_the_known_colours(browser, live):
    wecom = live
    page = signed_in_page(browser, wecom, "admin1", DESK)
    assert page.url.endswith("/console/week/2026-W48") and "2026年第48周" in page.inner_text("h1")
    page.click("text=报送时效")
    jinghong, mengla = page.locator("table.grid tbody tr").all()
    expected = {jinghong: ["ontime", "exempt", "late", "returned", "ontime"], mengla: ["missing", "exempt", "ontime", "missing", "notdue"]}
    for row, states in expected.items():
        cells = row.locator(".cell").all()[-5:]
        assert [cell.evaluate("e => getComputedStyle(e).backgroundColor") for cell in cells] == [COLOURS[s] for s in states]
    assert background(page, ".legend .cell.late") == COLOURS["late"]
    jinghong.locator(".cell.returned").click()
    assert page.url.endswith("/console/report/jinghong/2026-W47") and page.inner_text(".form h1") == "执行宣传工作周报表"
    assert page.get_attribute("text=https://mp.weixin.qq.com/s/abc123", "href") == "https://mp.weixin.qq.com/s/abc123"
    assert "修改了：宣传效果、稿件" in page.inner_text(".history")


def test_a_report_prints_on_one_a4_page(browser, live):
    wecom = live
    page = signed_in_page(browser, wecom, "admin1", DESK)
    page.goto(page.url.replace("/week/2026-W48", "/report/jinghong/2026-W47"))
    assert printed_pages(page, "report") == 1


def test_the_workbook_downloads_from_this_weeks_page(browser, live):
    wecom = live
    page = signed_in_page(browser, wecom, "admin1", DESK)
    with page.expect_download() as download:
        page.click("text=汇总表（Excel）")
    assert download.value.suggested_filename == "执行宣传周报_2026-W48.xlsx"
    workbook = load_workbook(BytesIO(download.value.path().read_bytes()))
    assert workbook.sheetnames[:2] == ["汇总", "景洪市人民法院"]


@pytest.mark.parametrize("viewport", [DESK, PHONE], ids=["desk", "phone"])
def test_every_page_fits_the_window_and_is_shot(browser, live, viewport):
    wecom = live
    page = signed_in_page(browser, wecom, "admin1", viewport)
    base = page.url.split("/console/")[0]
    for name, path in PAGES.items():
        page.goto(base + path)
        shoot(page, name)
        assert not overflows(page), f"{name} is wider than {viewport['width']} px"
    member = signed_in_page(browser, wecom, "jh1", viewport)
    assert member.url.endswith("/console/unit/jinghong")
    shoot(member, "member")
    member.goto(base + "/console/signin")
    shoot(member, "signin")


def test_inside_wecom_web_authorisation_signs_the_member_in(browser, fake_wecom, tmp_path, clock, messenger):
    port = free_port()
    config = wecom_config(fake_wecom, tmp_path)
    config = make_config(config.storage.url, server={"public_url": f"http://127.0.0.1:{port}"},
                         wecom={"secret": "s3cret", "api_base_url": fake_wecom.base_url, "authorize_url": fake_wecom.authorize_url})
    bot = build_bot(config, messenger=messenger, clock=clock, background=run_inline, sleep=FakeSleep(clock))
    fake_wecom.signed_in = "jh1"
    with serving(create_app(bot), port) as base_url:
        page = browser.new_context(viewport=PHONE, user_agent=WECOM_PHONE).new_page()
        page.goto(f"{base_url}/console/report/jinghong/2026-W48")
        assert page.url.split("#")[0] == f"{base_url}/console/report/jinghong/2026-W48"  # the browser keeps WeCom's #wechat_redirect
        assert "本周没有周报" in page.inner_text("main")
    assert len(fake_wecom.calls_to("auth/getuserinfo")) == 1
