"""What the office console shows for a known week: statuses and submitters, the grid's cells and order, a report with its
revisions and returns, events with withdrawn and modified ones, campaign bars; 催报 and 退回 through the chat's code; the
Friday push's link; and a grid built from the same few queries whatever the number of units."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import event

from bot.app import create_app
from bot.runtime import build_bot, run_inline
from common.deadlines import ReportingCalendar
from reports.grid import timeliness_grid
from reports.links import week_link
from scheduler.jobs import Outbox, friday_overdue
from storage.engine import session_scope
from storage.notices import upcoming_notices, withdraw_notice
from tests.support.config import make_config, shanghai
from tests.support.console import PUBLIC_URL, csrf_of, path_of, sign_in
from tests.support.factories import add_notice, add_report
from tests.support.fakes import FakeSleep
from tests.support.wecom_sim import wecom_for

WEEKS = ("2026-W44", "2026-W45", "2026-W46", "2026-W47", "2026-W48")


@pytest.fixture
def console_bot(db_url, clock, messenger):
    config = make_config(db_url, server={"public_url": PUBLIC_URL}, schedule={"exempt_weeks": ["2026-W45"]})
    return build_bot(config, messenger=messenger, clock=clock, background=run_inline, sleep=FakeSleep(clock))


@pytest.fixture
def admin(console_bot):
    """The office admin's browser, signed in, on a known data set (the clock: Wednesday of 2026-W48, before its deadline)."""
    known_weeks(console_bot)
    client = create_app(console_bot).test_client()
    sign_in(console_bot, client, "admin1")
    return client


def known_weeks(bot) -> None:
    """景洪: W44 on time, W45 exempt, W46 late, W47 on time, revised, then sent back, W48 on time; 勐腊: W46 on time, W47 and W48 missing."""
    add_report(bot, "jinghong", "2026-W44", shanghai(2026, 10, 30, 9))
    add_report(bot, "jinghong", "2026-W46", shanghai(2026, 11, 14, 9))
    add_report(bot, "jinghong", "2026-W47", shanghai(2026, 11, 19, 9), articles=[("景洪法院集中执行", "https://mp.weixin.qq.com/s/abc", "微信公众号")])
    add_report(bot, "jinghong", "2026-W47", shanghai(2026, 11, 21, 9), by="jh2", effects="观看 3 万人次",
               articles=[("景洪法院集中执行", "https://mp.weixin.qq.com/s/abc", "微信公众号")])
    wecom_for(bot).say("admin1", "退回 景洪 上周 稿件链接无法打开")
    add_report(bot, "jinghong", "2026-W48", shanghai(2026, 11, 24, 9))
    add_report(bot, "mengla", "2026-W46", shanghai(2026, 11, 12, 9), by="ml1")


def cells(html: str) -> dict[tuple[str, int], str]:
    """(unit name, week number) -> the cell's class, read from the grid's table."""
    found = {}
    for row in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        name = re.search(r'class="unit"><a [^>]*title="([^"]+)">', row)
        if name:
            marks = re.findall(r'class="cell (\w+)"', row)
            found.update({(name.group(1), 37 + i): mark for i, mark in enumerate(marks)})
    return found


def test_this_weeks_page_shows_each_unit_its_submitter_and_the_downloads(admin):
    page = admin.get("/console/week").get_data(as_text=True)
    assert "2026年第48周（11月23日—29日） 报送情况" in page and "截止：11月27日（周五）12:00" in page
    assert re.search(r"景洪市人民法院.*?badge ontime\">按时.*?11月24日（周二）09:00.*?jh1", page, re.S)
    assert re.search(r"勐腊县人民法院.*?badge notdue\">未到截止.*?催报", page, re.S)
    assert "/console/week/2026-W48/download/xlsx" in page and "/console/week/2026-W48/download/docx" in page


def test_the_grid_colours_each_unit_and_week(admin):
    grid = cells(admin.get("/console/grid").get_data(as_text=True))
    assert [grid[("景洪市人民法院", w)] for w in range(44, 49)] == ["ontime", "exempt", "late", "returned", "ontime"]
    assert [grid[("勐腊县人民法院", w)] for w in range(44, 49)] == ["missing", "exempt", "ontime", "missing", "notdue"]
    assert len(grid) == 24  # two units, the last 12 weeks


def test_the_grid_sorts_the_most_often_late_first(admin, console_bot):
    add_report(console_bot, "mengla", "2026-W43", shanghai(2026, 10, 24, 9))
    add_report(console_bot, "mengla", "2026-W42", shanghai(2026, 10, 17, 9))
    order = lambda html: re.findall(r'class="unit"><a [^>]*>([^<]+)</a>', html)  # noqa: E731  (short names: 景洪市人民法院 → 景洪)
    assert order(admin.get("/console/grid").get_data(as_text=True)) == ["景洪", "勐腊"]
    assert order(admin.get("/console/grid?sort=late").get_data(as_text=True)) == ["勐腊", "景洪"]


def test_a_report_shows_in_attachment_layout_with_its_revisions(admin):
    page = admin.get("/console/report/jinghong/2026-W47").get_data(as_text=True)
    assert "执行宣传工作周报表" in page and "2026年第47周（11月16日—22日）" in page
    assert '<a href="https://mp.weixin.qq.com/s/abc" rel="noopener noreferrer" target="_blank">' in page
    assert re.search(r"第 1 版</b> 11月19日（周四）09:00 jh1（按时）\s*首次提交", page)
    assert re.search(r"第 2 版</b> 11月21日（周六）09:00 jh2（截止后修改）\s*修改了：宣传效果", page)
    assert re.search(r"退回</b> 第 2 版 11月25日（周三）10:00 admin1：稿件链接无法打开", page)
    assert "本周没有周报" in admin.get("/console/report/mengla/2026-W47").get_data(as_text=True)


def test_events_ahead_mark_withdrawn_and_modified_notices(admin, console_bot, jh1):
    add_notice(console_bot, "mengla", at=shanghai(2026, 11, 24, 9), event_at=shanghai(2026, 11, 27, 9), theme="集中宣判")
    add_notice(console_bot, "jinghong", at=shanghai(2026, 11, 25, 9), event_at=shanghai(2026, 11, 26, 15), theme="执行直播")
    with session_scope(console_bot.engine) as session:
        withdrawn = upcoming_notices(session=session, start=console_bot.clock())[0]
        withdraw_notice(session=session, notice=withdrawn, by="jh1", at=console_bot.clock())
    page = admin.get("/console/events").get_data(as_text=True)
    assert re.search(r"11月26日（周四）.*?执行直播.*?已撤回.*?⚠提前不足2天", page, re.S)
    assert re.search(r"11月27日（周五）.*?集中宣判\s*</b>\s*<span class=\"tag ok\">提前3天", page, re.S)


def test_campaign_progress_draws_a_bar_per_target(admin):
    page = admin.get("/console/campaign").get_data(as_text=True)
    assert page.count('<svg class="bar"') == 6 and "电视专题 <span class=\"figure\">0 / 6</span>" in page
    assert "各单位任务" in page and "每周至少 1" in page and page.count('<td class="share short">0 / 1</td>') == 2


def test_the_workbook_downloads_as_the_export_makes_it(admin):
    answer = admin.get("/console/week/2026-W47/download/xlsx")
    assert answer.headers["Content-Disposition"].startswith("attachment;") and "2026-W47.xlsx" in answer.headers["Content-Disposition"]
    assert load_workbook(BytesIO(answer.data)).sheetnames[0] == "汇总"


def test_chase_from_the_console_is_the_chats_chase(admin, messenger):
    token = csrf_of(admin.get("/console/week").get_data(as_text=True))
    first = admin.post("/console/week/2026-W48/chase", data={"csrf": token, "unit": "mengla"}).get_data(as_text=True)
    assert "已向 1 个单位发送催报" in first and [s.text[:4] for s in messenger.to("mengla")] == ["【催报】"]
    again = admin.post("/console/week/2026-W48/chase", data={"csrf": token, "unit": "mengla"}).get_data(as_text=True)
    assert "1 小时内不重复发送" in again and len(messenger.to("mengla")) == 1


def test_return_from_the_console_is_the_chats_return(admin, messenger):
    page = admin.get("/console/report/jinghong/2026-W48").get_data(as_text=True)
    messenger.sent.clear()
    done = admin.post("/console/report/jinghong/2026-W48/return", data={"csrf": csrf_of(page), "reason": "上周 缺少稿件"})
    assert "已退回 景洪市人民法院 第48周" in done.get_data(as_text=True) and "原因：上周 缺少稿件" in done.get_data(as_text=True)
    assert {s.target for s in messenger.sent} == {"jinghong", "jh1"}
    assert "badge returned\">已退回" in admin.get("/console/week").get_data(as_text=True)
    assert "退回周报" not in admin.get("/console/report/jinghong/2026-W48").get_data(as_text=True)


def test_the_friday_push_to_the_office_ends_with_the_weeks_page(admin, console_bot):
    with session_scope(console_bot.engine) as session:
        outbox = Outbox(session, "friday_overdue", "2026-W48", console_bot.clock())
        friday_overdue(session=session, outbox=outbox, period="2026-W48", config=console_bot.config, calendar=console_bot.calendar)
    console_bot.env.flush_outbox()
    summary = next(s.text for s in console_bot.messenger.sent if s.target == "office" and s.kind == "group")
    assert summary.endswith(f"控制台查看：{PUBLIC_URL}/console/week/2026-W48")
    assert "2026年第48周" in admin.get(path_of(week_link(PUBLIC_URL, "2026-W48"))).get_data(as_text=True)


def statements(engine, action) -> int:
    count = 0

    def counted(*_):
        nonlocal count
        count += 1

    event.listen(engine, "before_cursor_execute", counted)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", counted)
    return count


def test_the_grid_takes_the_same_queries_for_2_units_or_40(db_url, clock, messenger):
    """Set-based: a query per unit or per cell would grow with the units."""
    counts = []
    for size in (2, 40):
        units = [{"id": f"u{i:02d}", "name": f"第{i}法院", "members": [f"m{i}"], "group": "office"} for i in range(size)]
        bot = build_bot(make_config(db_url.replace("bot.db", f"bot{size}.db"), units=units), messenger=messenger, clock=clock)
        for i in range(size):
            add_report(bot, f"u{i:02d}", WEEKS[i % 5], shanghai(2026, 11, 2 + i % 20, 9), by=f"m{i}")
        weeks = [f"2026-W{n}" for n in range(37, 49)]
        with session_scope(bot.engine) as session:
            grid = lambda: timeliness_grid(session=session, calendar=ReportingCalendar(bot.config.schedule), weeks=weeks, now=clock())  # noqa: E731,B023
            counts.append(statements(bot.engine, grid))
            assert len(grid().rows) == size
        bot.engine.dispose()
    assert counts[0] == counts[1] <= 3
