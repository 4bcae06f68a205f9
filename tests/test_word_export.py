"""导出 word and `python -m bot export --format docx`: the week as one Word document, re-opened with python-docx."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from bot.runtime import build_bot, run_inline
from common.config_loader import load_config
from common.messenger import SendError
from handlers.base import Incoming
from tests.support.config import shanghai
from tests.support.factories import add_notice, add_report
from tests.support.fakes import FakeSleep
from tests.support.scheduling import outbox

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "config.example.toml"
ARTICLES = [("@SUM(1)", "https://tv.example/1", "电视专题"), ("执行直播：腾房", "https://live.example/2", "执行直播")]
FILENAME = "执行宣传周报_2026-W48.docx"


def fill_week(bot, clock) -> None:
    add_report(bot, "jinghong", "2026-W48", shanghai(2026, 11, 24, 9), articles=ARTICLES, other="-1+1")
    add_report(bot, "mengla", "2026-W48", shanghai(2026, 11, 25, 9), by="ml1", summary="勐腊简介")
    add_notice(bot, "mengla", at=clock(), event_at=shanghai(2026, 11, 26, 15), theme="\x01=1+1", media="+州电视台")


def sent_document(messenger, filename: str = FILENAME) -> docx.document.Document:
    files = [s for s in messenger.sent if s.kind == "file"]
    assert [(s.target, s.text) for s in files] == [("admin1", filename)]
    return docx.Document(io.BytesIO(files[0].content))


def texts(table) -> list[tuple[str, ...]]:
    return [tuple(cell.text for cell in row.cells) for row in table.rows]


def test_export_word_replies_at_once_and_sends_the_document(wecom, bot, clock, messenger):
    fill_week(bot, clock)
    assert wecom.say("admin1", "导出 word") == "正在生成第48周（11月23日—29日）周报 Word 文档（已报送 2/2），稍后以文件发给您。"
    document = sent_document(messenger)
    report, other_report, notices = document.tables
    assert texts(report) == [
        ("单位：", "景洪市人民法院"),
        ("本周执行宣传工作基本简介：", "简介"),
        ("宣传举措：", "举措"),
        ("宣传做法：", "做法"),
        ("宣传效果：", "效果"),
        ("其他：", "-1+1"),
        ("稿件1：", "@SUM(1)\nhttps://tv.example/1\n类型：电视专题"),
        ("稿件2：", "执行直播：腾房\nhttps://live.example/2\n类型：执行直播"),
        ("联系人：", "李华"),
        ("联系电话：", "13800138000"),
        ("日期：", "2026-11-24"),
    ]
    assert texts(other_report)[:2] == [("单位：", "勐腊县人民法院"), ("本周执行宣传工作基本简介：", "勐腊简介")]
    assert ("稿件：", "无") in texts(other_report)
    assert texts(notices) == [
        ("报送单位", "宣传主题", "宣传时间", "宣传方式", "媒体参与", "组织联络", "其他", "是否提前2天"),
        ("勐腊县人民法院", "=1+1", "2026-11-26 15:00", "执行直播", "+州电视台", "李华 13800138000", "", "否（提前1天）"),
    ]


def test_each_report_is_a_boxed_table_on_a_portrait_a4_page_under_a_centred_title(wecom, bot, clock, messenger):
    fill_week(bot, clock)
    wecom.say("admin1", "导出 word")
    document = sent_document(messenger)
    report_page, _notice_page = document.sections
    assert (round(report_page.page_width.cm, 1), round(report_page.page_height.cm, 1)) == (21.0, 29.7)
    assert report_page.orientation == WD_ORIENT.PORTRAIT and round(report_page.left_margin.cm, 1) == 1.8
    titles = [p for p in document.paragraphs if p.text == "执行宣传工作周报表"]
    assert len(titles) == 2 and [t.paragraph_format.page_break_before for t in titles] == [False, True]
    title = titles[0]
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER and title.runs[0].bold and title.runs[0].font.size.pt == 16
    week = _next(document, title)
    assert week.text == "2026年第48周（11月23日—29日）" and week.alignment == WD_ALIGN_PARAGRAPH.CENTER
    table = document.tables[0]
    assert table.style.name == "Table Grid"  # its lines box every cell
    assert [c.paragraphs[0].runs[0].bold for c in table.columns[0].cells] == [True] * len(table.rows)
    assert not any(r.bold for c in table.columns[1].cells for r in c.paragraphs[0].runs)
    widths = [column.width.cm for column in table.columns]
    assert sum(widths) == pytest.approx(21.0 - 2 * 1.8, abs=0.05) and widths[0] < widths[1]


def test_notices_follow_on_landscape_pages_with_the_header_row_repeated(wecom, bot, clock, messenger):
    fill_week(bot, clock)
    wecom.say("admin1", "导出 word")
    document = sent_document(messenger)
    notice_page = document.sections[-1]
    assert notice_page.orientation == WD_ORIENT.LANDSCAPE
    assert (round(notice_page.page_width.cm, 1), round(notice_page.page_height.cm, 1)) == (29.7, 21.0)
    header = document.tables[-1].rows[0]._tr
    assert header.trPr.find(qn("w:tblHeader")).get(qn("w:val")) == "true"
    assert "执行宣传工作近期重点策划" in [p.text for p in document.paragraphs]
    assert "2026年第48周（11月23日—29日）：本周举行或本周报送的活动" in [p.text for p in document.paragraphs]


def test_chinese_text_is_set_in_song_and_pages_are_numbered(wecom, bot, clock, messenger):
    fill_week(bot, clock)
    wecom.say("admin1", "导出 word")
    document = sent_document(messenger)
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:rFonts"))
    normal = document.styles["Normal"].element.rPr.rFonts
    for fonts in (defaults, normal):
        assert fonts.get(qn("w:eastAsia")) == "宋体" and fonts.get(qn("w:eastAsiaTheme")) is None
    assert document.styles["Normal"].font.size.pt == 12
    footer = document.sections[0].footer
    fields = [f.get(qn("w:instr")) for f in footer._element.iter(qn("w:fldSimple"))]
    shown = "".join(t.text for t in footer._element.iter(qn("w:t")))  # a field shows "1" until Word computes it
    assert fields == ["PAGE", "NUMPAGES"] and shown == "第 1 页 共 1 页"
    assert all(section.footer.is_linked_to_previous for section in document.sections[1:])


def test_a_week_without_reports_is_only_the_notices(wecom, messenger):
    assert "（已报送 0/2）" in wecom.say("admin1", "导出 word")
    document = sent_document(messenger)
    assert len(document.sections) == 1 and document.sections[0].orientation == WD_ORIENT.LANDSCAPE
    assert document.tables == [] and "本周没有重点策划。" in [p.text for p in document.paragraphs]


def test_word_for_another_week_and_a_bad_week(wecom, bot, messenger):
    add_report(bot, "mengla", "2026-W47", shanghai(2026, 11, 19, 9), by="ml1")
    assert "正在生成第47周（11月16日—22日）周报 Word 文档（已报送 1/2）" in wecom.say("admin1", "导出 Word 上周")
    assert texts(sent_document(messenger, "执行宣传周报_2026-W47.docx").tables[0])[0] == ("单位：", "勐腊县人民法院")
    assert "未能识别周次" in wecom.say("admin1", "导出 word 昨天")


def test_a_failed_upload_names_the_word_command(wecom, messenger):
    messenger.failures.append(SendError("WeCom errcode 40058", retryable=False))
    wecom.say("admin1", "导出 word")
    assert [(s.kind, s.text) for s in messenger.sent] == [("users", "第48周（11月23日—29日）周报 Word 文档发送失败，请稍后再发“导出 word”重试。")]


def test_workbook_and_document_go_out_under_their_own_keys(config, messenger, clock):
    bot = build_bot(config, messenger=messenger, clock=clock, background=run_inline, sleep=FakeSleep(clock))
    bot.handle(Incoming("admin1", "导出", key="msg:7"))
    bot.handle(Incoming("admin1", "导出 word", key="msg:8"))
    assert [r.key for r in outbox(bot)] == ["export:msg:7", "export-docx:msg:8"]
    assert [s.text for s in messenger.sent if s.kind == "file"] == ["执行宣传周报_2026-W48.xlsx", FILENAME]


def test_cli_export_writes_the_word_document(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the example config keeps its SQLite file under ./data
    bot = build_bot(load_config(EXAMPLE), background=run_inline)
    add_report(bot, "jinghong", "2026-W48", shanghai(2026, 11, 24, 9), by="jh_reporter", articles=ARTICLES)
    bot.engine.dispose()
    out = tmp_path / "w48.docx"
    result = _run_bot("--config", str(EXAMPLE), "export", "--week", "2026-W48", "--format", "docx", "--out", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    document = docx.Document(out)
    assert texts(document.tables[0])[:2] == [("单位：", "景洪市人民法院"), ("本周执行宣传工作基本简介：", "简介")]
    assert len(document.tables) == 1 and "本周没有重点策划。" in [p.text for p in document.paragraphs]
    assert _run_bot("--config", str(EXAMPLE), "export", "--format", "pdf", "--out", str(tmp_path / "x.pdf"), cwd=tmp_path).returncode == 2


def _run_bot(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "BOT_CONFIG"} | {"PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=60)


def _next(document, paragraph):
    """The paragraph after `paragraph`."""
    paragraphs = document.paragraphs
    return paragraphs[[p._p for p in paragraphs].index(paragraph._p) + 1]
