"""导出 and `python -m bot export`: the workbook re-opened with openpyxl, formula injection, the WeCom file upload."""

from __future__ import annotations

import io
from datetime import datetime

import openpyxl

from bot.cli import main
from bot.messengers import WeComMessenger
from bot.runtime import build_bot, run_inline
from common.config_loader import load_config
from common.messenger import SendError
from handlers.base import Incoming
from tests.support.config import EXAMPLE, shanghai, wecom_config
from tests.support.factories import add_notice, add_report
from tests.support.fakes import FakeSleep
from tests.support.scheduling import outbox
from tests.support.wecom_sim import wecom_for

HYPERLINK = '=HYPERLINK("http://x","y")'
ARTICLES = [("@SUM(1)", "https://tv.example/1", "电视专题"), ("执行直播：腾房", "https://live.example/2", "执行直播")]


def fill_week(bot, clock):
    add_report(bot, "jinghong", "2026-W48", shanghai(2026, 11, 24, 9), articles=ARTICLES, summary=HYPERLINK, other="-1+1")
    add_report(bot, "jinghong", "2026-W48", shanghai(2026, 11, 24, 10), articles=ARTICLES, summary=HYPERLINK, other="-1+1")
    add_notice(bot, "mengla", at=clock(), event_at=shanghai(2026, 11, 26, 15), theme="\x01=1+1", media="+州电视台")
    add_notice(bot, "jinghong", at=shanghai(2026, 11, 18, 9), event_at=shanghai(2026, 11, 24, 9), theme="上周报送本周举行")
    add_notice(bot, "jinghong", at=clock(), event_at=shanghai(2026, 12, 8, 9), theme="本周报送下月举行")


def rows(sheet) -> list[tuple]:
    return [tuple(c for c in row) for row in sheet.iter_rows(values_only=True)]


def exported(messenger) -> openpyxl.Workbook:
    sent = [s for s in messenger.sent if s.kind == "file"]
    assert [(s.target, s.text) for s in sent] == [("admin1", "执行宣传周报_2026-W48.xlsx")]
    return openpyxl.load_workbook(io.BytesIO(sent[0].content))


def test_export_replies_at_once_and_sends_the_workbook_after_commit(wecom, bot, clock, messenger):
    fill_week(bot, clock)
    assert wecom.say("admin1", "导出") == "正在生成第48周（11月23日—29日）汇总表（已报送 1/2），稍后以文件发给您。"
    book = exported(messenger)
    assert book.sheetnames == ["汇总", "景洪市人民法院", "近期重点策划"]
    assert rows(book["汇总"]) == [
        ("2026年第48周（11月23日—29日）执行宣传工作周报汇总", None, None, None, None, None, None),
        ("单位", "状态", "提交时间", "提交人", "提交渠道", "是否按时", "是否修改"),
        ("景洪市人民法院", "已报送", datetime(2026, 11, 24, 9, 0), "jh1", "企业微信", "按时", "是"),  # no name known for jh1: the userid
        ("勐腊县人民法院", "未报送", None, None, None, None, None),
    ]


def test_report_sheet_is_laid_out_like_attachment_1(wecom, bot, clock, messenger):
    fill_week(bot, clock)
    wecom.say("admin1", "导出")
    sheet = exported(messenger)["景洪市人民法院"]
    assert rows(sheet) == [
        ("执行宣传工作周报表", None, None, None),
        ("2026年第48周（11月23日—29日）", None, None, None),
        ("单位：", "景洪市人民法院", None, None),
        ("本周执行宣传工作基本简介：", HYPERLINK, None, None),
        ("宣传举措：", "举措", None, None),
        ("宣传做法：", "做法", None, None),
        ("宣传效果：", "效果", None, None),
        ("其他：", "-1+1", None, None),
        ("稿件", "稿件标题", "链接", "类型"),
        (1, "@SUM(1)", "https://tv.example/1", "电视专题"),
        (2, "执行直播：腾房", "https://live.example/2", "执行直播"),
        ("联系人：", "李华", None, None),
        ("联系电话：", "13800138000", None, None),
        ("日期：", "2026-11-24", None, None),
    ]
    assert sheet["B4"].alignment.wrap_text and sheet.column_dimensions["B"].width >= 30


def test_formula_injection_is_stored_as_text(wecom, bot, clock, messenger):
    fill_week(bot, clock)
    wecom.say("admin1", "导出")
    book = exported(messenger)
    risky = [book["景洪市人民法院"]["B4"], book["景洪市人民法院"]["B10"], book["景洪市人民法院"]["B8"], book["近期重点策划"]["B4"]]
    assert [c.value for c in risky] == [HYPERLINK, "@SUM(1)", "-1+1", "=1+1"]  # control characters are stripped, the rest kept
    assert all(c.data_type == "s" and c.quotePrefix for c in risky)
    assert not any(c.data_type == "f" for sheet in book for row in sheet.iter_rows() for c in row)


def test_notice_sheet_has_the_weeks_events_and_submissions_in_attachment_2_columns(wecom, bot, clock, messenger):
    fill_week(bot, clock)
    add_notice(bot, "mengla", at=shanghai(2026, 11, 20, 9), event_at=shanghai(2026, 11, 21, 9), theme="上周报送上周举行")
    add_notice(bot, "mengla", at=shanghai(2026, 11, 20, 9), event_at=shanghai(2026, 12, 8, 9), theme="上周报送下月举行")
    wecom.say("admin1", "导出")
    table = rows(exported(messenger)["近期重点策划"])
    assert table[1] == ("报送单位", "宣传主题", "宣传时间", "宣传方式", "媒体参与", "组织联络", "其他", "是否提前2天")
    assert table[2] == (
        "景洪市人民法院", "上周报送本周举行", datetime(2026, 11, 24, 9), "执行直播", "州电视台", "李华 13800138000", None, "是（提前6天）",
    )
    assert table[3][:3] == ("勐腊县人民法院", "=1+1", datetime(2026, 11, 26, 15)) and table[3][7] == "否（提前1天）"
    assert [r[1] for r in table[2:]] == ["上周报送本周举行", "=1+1", "本周报送下月举行"]


def test_export_of_another_week_and_a_bad_week(wecom, bot, messenger):
    add_report(bot, "mengla", "2026-W47", shanghai(2026, 11, 19, 9), by="ml1")
    assert "正在生成第47周（11月16日—22日）汇总表（已报送 1/2）" in wecom.say("admin1", "导出 上周")
    assert openpyxl.load_workbook(io.BytesIO(messenger.sent[0].content)).sheetnames == ["汇总", "勐腊县人民法院", "近期重点策划"]
    assert "未能识别周次" in wecom.say("admin1", "导出 昨天")


def test_a_failed_upload_is_told_to_the_admin(wecom, messenger):
    messenger.failures.append(SendError("WeCom errcode 40058", retryable=False))
    wecom.say("admin1", "导出")
    assert [(s.kind, s.text) for s in messenger.sent] == [("users", "第48周（11月23日—29日）汇总表发送失败，请稍后再发“导出”重试。")]


def test_a_file_that_meets_an_outage_is_sent_once_in_a_later_round(wecom, bot, clock, messenger):
    messenger.failures.extend(SendError("WeCom down", retryable=True) for _ in range(3))
    assert "稍后以文件发给您" in wecom.say("admin1", "导出")
    assert messenger.sent == [] and [(r.kind, r.status) for r in outbox(bot)] == [("file", "pending")]
    clock.advance(minutes=1)
    bot.env.flush_outbox()
    bot.env.flush_outbox()  # nothing left to send
    exported(messenger)
    assert [s.kind for s in messenger.sent] == ["file"]
    assert [(r.status, r.attempts, r.content) for r in outbox(bot)] == [("sent", 2, None)]  # the bytes are dropped once sent


def test_a_rerun_of_the_export_follow_up_sends_the_file_once(config, messenger, clock):
    follow_ups = []
    bot = build_bot(config, messenger=messenger, clock=clock, background=follow_ups.append, sleep=FakeSleep(clock))
    bot.handle(Incoming("admin1", "导出", key="msg:7"))
    for action in follow_ups + follow_ups:
        action()
    exported(messenger)
    assert [r.key for r in outbox(bot)] == ["export:msg:7"]


def test_file_goes_through_media_upload_on_fake_wecom(fake_wecom, tmp_path, clock):
    config = wecom_config(fake_wecom, tmp_path)
    bot = build_bot(config, messenger=WeComMessenger(config), clock=clock, background=run_inline)
    fill_week(bot, clock)
    wecom = wecom_for(bot)
    assert "稍后以文件发给您" in wecom.say("admin1", "导出")
    upload = fake_wecom.calls_to("media/upload")[0]
    send = fake_wecom.calls_to("message/send")[0]
    assert upload.query["type"] == "file" and b"xl/workbook.xml" in upload.raw
    assert send.body["msgtype"] == "file" and send.body["file"]["media_id"] == "MEDIA1" and send.body["touser"] == "admin1"


def test_cli_export_writes_the_same_workbook(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the example config keeps its SQLite file under ./data
    bot = build_bot(load_config(EXAMPLE), background=run_inline)
    add_report(bot, "jinghong", "2026-W48", shanghai(2026, 11, 24, 9), by="jh_reporter", articles=ARTICLES, summary=HYPERLINK)
    out = tmp_path / "w48.xlsx"
    assert main(["--config", str(EXAMPLE), "export", "--week", "2026-W48", "--out", str(out)]) == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["汇总", "景洪市人民法院", "近期重点策划"]
    assert [r[:2] for r in rows(book["汇总"])[2:]] == [
        ("景洪市人民法院", "已报送"), ("勐海县人民法院", "未报送"), ("勐腊县人民法院", "未报送"), ("西双版纳州中级人民法院执行局", "未报送"),
    ]
    assert book["景洪市人民法院"]["B4"].value == HYPERLINK and book["景洪市人民法院"]["B4"].data_type == "s"


def test_cli_export_refuses_a_bad_week(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["--config", str(EXAMPLE), "export", "--week", "2026-W99", "--out", str(tmp_path / "x.xlsx")]) == 2
    assert "2026-W99" in capsys.readouterr().err and not (tmp_path / "x.xlsx").exists()


def test_a_week_with_more_reports_than_sheets_allow_stacks_them_on_one_sheet(wecom, bot, clock, messenger, monkeypatch):
    import reports.workbook as workbook

    fill_week(bot, clock)
    add_report(bot, "mengla", "2026-W48", shanghai(2026, 11, 25, 9), articles=[], summary="勐腊简介")
    monkeypatch.setattr(workbook, "MAX_REPORT_SHEETS", 1)
    wecom.say("admin1", "导出")
    book = exported(messenger)
    assert book.sheetnames == ["汇总", "周报明细", "近期重点策划"]
    cells = [row[:2] for row in rows(book["周报明细"])]
    titles = [i for i, row in enumerate(cells) if row[0] == "执行宣传工作周报表"]
    assert len(titles) == 2 and ("单位：", "景洪市人民法院") in cells and ("单位：", "勐腊县人民法院") in cells
    assert cells[titles[1] - 1] == (None, None)  # a blank row between two reports
    assert ("本周执行宣传工作基本简介：", "勐腊简介") in cells
