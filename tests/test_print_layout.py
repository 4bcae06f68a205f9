"""The workbook on paper: A4, one page wide, boxed forms in 宋体, titles, print titles, page numbers, long texts."""

from __future__ import annotations

import io

import openpyxl
import pytest
from openpyxl.cell.cell import MergedCell
from openpyxl.utils import get_column_letter

import reports.workbook as workbook
from reports.week import week_data
from storage.engine import session_scope
from tests.support.config import shanghai
from tests.support.factories import add_notice, add_report

WEEK = "2026-W48"
ARTICLES = [("执行直播：腾房", "https://live.example/2026/11/24/zhibo", "执行直播")]
FOOTER = "第 &P 页 共 &N 页"
A4 = 9  # openpyxl's PAPERSIZE_A4
PORTRAIT_UNITS = (21.0 - 2 * 1.8) / 2.54 * 96 / 7  # column units (7 px) between A4 portrait's side margins
LANDSCAPE_UNITS = (29.7 - 2 * 1.8) / 2.54 * 96 / 7
LONG = "本周我院集中开展执行攻坚，邀请代表委员见证，网络直播观看 3.2 万人次。" * 60  # 2,160 characters, one paragraph


def book_of(bot) -> openpyxl.Workbook:
    with session_scope(bot.engine) as session:
        data = week_data(session=session, config=bot.config, calendar=bot.calendar, week=WEEK)
    return openpyxl.load_workbook(io.BytesIO(workbook.build_workbook(data)))


def fill(bot, clock, **answers) -> None:
    add_report(bot, "jinghong", WEEK, shanghai(2026, 11, 24, 9), articles=ARTICLES, **answers)
    add_report(bot, "mengla", WEEK, shanghai(2026, 11, 25, 9), by="ml1", summary="勐腊简介")
    add_notice(bot, "mengla", at=clock(), event_at=shanghai(2026, 11, 26, 15), theme="集中兑付")


def column_units(sheet) -> float:
    return sum(sheet.column_dimensions[get_column_letter(c)].width for c in range(1, sheet.max_column + 1))


def sides(cell) -> tuple:
    """(left, right, top, bottom) line styles; None where no line is drawn."""
    border = cell.border
    return tuple(side.style if side else None for side in (border.left, border.right, border.top, border.bottom))


def boxed(cell) -> bool:
    """Its own box, or for a cell merged into the one on its left, the box's top and bottom (and the right at the end)."""
    return sides(cell)[2:] == ("thin", "thin") and (isinstance(cell, MergedCell) or sides(cell)[:2] == ("thin", "thin"))


def test_every_sheet_prints_on_a4_one_page_wide_with_page_numbers(bot, clock):
    fill(bot, clock)
    book = book_of(bot)
    orientation = {sheet.title: sheet.page_setup.orientation for sheet in book}
    assert orientation == {"汇总": "landscape", "景洪市人民法院": "portrait", "勐腊县人民法院": "portrait", "近期重点策划": "landscape"}
    for sheet in book:
        setup = sheet.page_setup
        assert (setup.paperSize, setup.fitToWidth, setup.fitToHeight) == (A4, 1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.print_options.horizontalCentered
        assert sheet.oddFooter.center.text == FOOTER and sheet.oddFooter.center.font.startswith("宋体")
        assert sheet.page_margins.left == pytest.approx(1.8 / 2.54) and sheet.page_margins.top == pytest.approx(2.0 / 2.54)
        room = LANDSCAPE_UNITS if setup.orientation == "landscape" else PORTRAIT_UNITS
        assert column_units(sheet) < room  # fitted at full size: nothing shrinks, nothing is cut
    assert [book[name].print_title_rows for name in book.sheetnames] == ["$2:$2", "$1:$2", "$1:$2", "$2:$2"]


def test_report_sheet_is_a_boxed_form_in_song_type_under_a_centred_title(bot, clock):
    fill(bot, clock)
    sheet = book_of(bot)["景洪市人民法院"]
    title, week = sheet["A1"], sheet["A2"]
    assert (title.value, title.font.name, title.font.sz, title.font.b, title.alignment.horizontal) == ("执行宣传工作周报表", "宋体", 16, True, "center")
    assert (week.value, week.font.name, week.alignment.horizontal) == ("2026年第48周（11月23日—29日）", "宋体", "center")
    assert {"A1:D1", "A2:D2", "B3:D3"} <= {str(r) for r in sheet.merged_cells.ranges}
    form = [cell for row in sheet.iter_rows(min_row=3, max_col=4) for cell in row]
    assert all(boxed(c) for c in form) and all(sides(sheet.cell(c.row, 4))[1] == "thin" for c in form)
    assert {(c.font.name, c.font.sz) for c in form if not isinstance(c, MergedCell)} == {("宋体", 12)}
    labels = [c for c in sheet["A"][2:] if isinstance(c.value, str)]
    assert labels[0].value == "单位：" and all(c.font.b for c in labels)
    assert sheet["B4"].alignment.wrap_text and not sheet["B4"].font.b


def test_summary_and_notices_are_boxed_tables_with_bold_headers(bot, clock):
    fill(bot, clock)
    book = book_of(bot)
    for sheet in (book["汇总"], book["近期重点策划"]):
        table = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
        assert all(sides(c) == ("thin",) * 4 for c in table)
        assert all(c.font.b for c in sheet[2]) and {c.font.name for c in table} == {"宋体"}
        assert sheet["A1"].alignment.horizontal == "center" and sheet["A1"].font.sz == 16
    when = book["近期重点策划"]["C3"]
    assert when.number_format == "yyyy-mm-dd hh:mm" and book["近期重点策划"].column_dimensions["C"].width >= 18  # never "####"


def test_stacked_reports_start_a_page_each_without_merged_cells(bot, clock, monkeypatch):
    monkeypatch.setattr(workbook, "MAX_REPORT_SHEETS", 1)
    fill(bot, clock)
    sheet = book_of(bot)["周报明细"]
    assert not sheet.merged_cells.ranges and sheet.print_title_rows is None
    values = [row[:2] for row in sheet.iter_rows(values_only=True)]
    titles = [i + 1 for i, row in enumerate(values) if row[0] == "执行宣传工作周报表"]
    assert len(titles) == 2 and titles[0] == 1
    assert [b.id for b in sheet.row_breaks.brk] == [titles[1] - 1, len(values) + 1]  # after each report's closing blank row
    assert sheet.cell(titles[0], 1).alignment.horizontal == sheet.cell(titles[0], 2).alignment.horizontal == "centerContinuous"
    assert ("稿件1：", "执行直播：腾房\nhttps://live.example/2026/11/24/zhibo\n类型：执行直播") in values
    assert ("稿件：", "无") in values  # 勐腊 listed no articles
    assert all(sides(c) == ("thin",) * 4 for row in sheet.iter_rows(min_row=3, max_row=titles[1] - 2, max_col=2) for c in row)


def test_stacked_sheets_hold_a_limited_number_of_reports_each(bot, clock, monkeypatch):
    monkeypatch.setattr(workbook, "MAX_REPORT_SHEETS", 1)
    monkeypatch.setattr(workbook, "REPORTS_PER_STACKED_SHEET", 1)  # Excel refuses more than 1,023 page breaks on a sheet
    fill(bot, clock)
    book = book_of(bot)
    assert book.sheetnames == ["汇总", "周报明细", "周报明细(2)", "近期重点策划"]
    assert [len(book[name].row_breaks.brk) for name in ("周报明细", "周报明细(2)")] == [1, 1]


@pytest.mark.parametrize("stacked", [False, True])
def test_a_text_too_long_for_one_row_runs_on_in_rows_boxed_as_one(bot, clock, monkeypatch, stacked):
    monkeypatch.setattr(workbook, "MAX_REPORT_SHEETS", 0 if stacked else 300)
    fill(bot, clock, summary=LONG, effects="第一段。\n" + LONG[:900])
    sheet = book_of(bot)["周报明细" if stacked else "景洪市人民法院"]
    rows = list(sheet.iter_rows(min_row=1, max_col=2))
    start = next(i for i, (a, _) in enumerate(rows) if a.value == "本周执行宣传工作基本简介：")
    run = [rows[start], *list(_continued(rows[start + 1:]))]
    assert len(run) > 1 and "".join(b.value for _, b in run) == LONG
    assert all(sheet.row_dimensions[a.row].height <= 409 for a, _ in run)
    assert [sides(a)[2:] for a, _ in run] == [("thin", None)] + [(None, None)] * (len(run) - 2) + [(None, "thin")]
    assert all(sides(b)[:2] == ("thin", "thin") for _, b in run)
    effects = next(i for i, (a, _) in enumerate(rows) if a.value == "宣传效果：")
    pieces = [b.value for _, b in [rows[effects], *list(_continued(rows[effects + 1:]))]]
    assert pieces[0] == "第一段。" and "".join(pieces) == "第一段。" + LONG[:900]  # cut between the paragraphs first


def _continued(rows):
    """The rows that carry on a text: no label of their own."""
    for a, b in rows:
        if a.value:
            return
        yield a, b
