"""The week's Excel workbook: a summary, the 附件1 reports (a sheet each, or stacked on one for a province), the 附件2 notices.

Text is never a formula.
"""

from __future__ import annotations

import io
import math
import re
from datetime import datetime
from functools import partial

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlmodel import Session

from common.config import Config
from common.deadlines import ReportingCalendar
from reports.attachments import (
    ARTICLE_COLUMNS,
    CONTACT,
    DATE,
    NOTICE_COLUMNS,
    NOTICE_TITLE,
    PHONE,
    REPORT_TEXT_FIELDS,
    REPORT_TITLE,
    UNIT,
)
from reports.labels import week_label
from reports.status import SUBMITTED
from reports.week import WeekData, week_data
from storage.reports import SavedReport

FILENAME = "执行宣传周报_{week}.xlsx"
SUMMARY_SHEET = "汇总"
SUMMARY_TITLE = "{week}执行宣传工作周报汇总"
SUMMARY_COLUMNS = ("单位", "状态", "提交时间", "是否按时", "是否修改")
NOTICE_SHEET = "近期重点策划"
STACKED_SHEET = "周报明细"
MAX_REPORT_SHEETS = 300  # beyond this the reports share one sheet (see stacked_reports_sheet)
NOTICE_SUBTITLE = "{week}：本周举行或本周报送的活动"
LEAD_COLUMN = "是否提前{days}天"
YES, NO = "是", "否"
LEAD_VALUE = "{answer}（提前{days}天）"
ARTICLES_LABEL = "稿件"

DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
WRAP = Alignment(wrap_text=True, vertical="top")
BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)
RISKY_START = ("=", "+", "-", "@", "\t", "\r")  # OWASP formula injection; NUL and other control characters are stripped
SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_MAX = 31
REPORT_WIDTHS = (26, 40, 50, 16)
LINE_HEIGHT = 15
MAX_ROW_HEIGHT = 409



def workbook_for_week(*, session: Session, config: Config, calendar: ReportingCalendar, week: str) -> bytes:
    """The week's workbook as .xlsx bytes, read and built at once (`python -m bot export`)."""
    return build_workbook(week_data(session=session, config=config, calendar=calendar, week=week))


def export_filename(week: str) -> str:
    return FILENAME.format(week=week)


def build_workbook(data: WeekData) -> bytes:
    """The workbook as .xlsx bytes."""
    book = Workbook()
    summary_sheet(book.active, data)
    if len(data.reports) <= MAX_REPORT_SHEETS:
        for saved in data.reports:
            report_sheet(book.create_sheet(_sheet_name(book, data.names[saved.report.unit_id])), saved, data)
    else:
        stacked_reports_sheet(book.create_sheet(STACKED_SHEET), data)
    notice_sheet(book.create_sheet(NOTICE_SHEET), data)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def put(sheet: Worksheet, row: int, column: int, value, *, font: Font | None = None):
    """Write one cell, wrapped; text is cleaned of characters Excel refuses and always stored as text, never a formula."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"
        cell.quotePrefix = cell.value.startswith(RISKY_START)  # Excel keeps it text even when the cell is edited
    else:
        cell.value = value
    cell.alignment = WRAP
    if font is not None:
        cell.font = font
    return cell


def summary_sheet(sheet: Worksheet, data: WeekData) -> None:
    sheet.title = SUMMARY_SHEET
    _title(sheet, SUMMARY_TITLE.format(week=week_label(data.week)), len(SUMMARY_COLUMNS))
    _header_row(sheet, 2, SUMMARY_COLUMNS, widths=(30, 10, 18, 10, 10))
    for row, status in enumerate(data.statuses, start=3):
        submitted = status.state == SUBMITTED
        when = _local(status.header.submitted_at, data.tz) if submitted else ""
        revised = (YES if status.revised else NO) if submitted else ""
        _row(sheet, row, (status.name, status.state, when, status.timeliness, revised))
    sheet.freeze_panes = "A3"


def report_sheet(sheet: Worksheet, saved: SavedReport, data: WeekData) -> None:
    """One report on a sheet of its own."""
    _set_widths(sheet, REPORT_WIDTHS)
    report_block(sheet, 1, saved, data)


def stacked_reports_sheet(sheet: Worksheet, data: WeekData) -> None:
    """Every report on one sheet, one 附件1 block after another, without merged cells.

    openpyxl slows quadratically both in sheets (each new title is checked against all the others)
    and in merged ranges on one sheet (each is checked against all the others); a province's week
    has thousands of reports.
    """
    _set_widths(sheet, REPORT_WIDTHS)
    row = 1
    for saved in data.reports:
        row = report_block(sheet, row, saved, data, merge=False) + 1


def report_block(sheet: Worksheet, top: int, saved: SavedReport, data: WeekData, *, merge: bool = True) -> int:
    """One report laid out like 附件1 from row `top`: labelled rows, one row per 稿件, the contact; the next free row."""
    revision = saved.revision
    _title(sheet, REPORT_TITLE, len(REPORT_WIDTHS) if merge else 1, row=top)
    labelled = partial(_labelled, sheet, merge=merge)
    row = labelled(top + 1, UNIT, data.names[saved.report.unit_id])
    for key, label in REPORT_TEXT_FIELDS:
        row = labelled(row, label, getattr(revision, key))
    put(sheet, row, 1, ARTICLES_LABEL, font=BOLD)
    _row(sheet, row, ARTICLE_COLUMNS, start=2, font=BOLD)
    for article in saved.articles:
        row += 1
        _row(sheet, row, (article.position, article.title, article.url, article.channel))
    row = labelled(row + 1, CONTACT, revision.contact)
    row = labelled(row, PHONE, revision.phone)
    return labelled(row, DATE, revision.report_date.isoformat())


def notice_sheet(sheet: Worksheet, data: WeekData) -> None:
    """The week's notices in 附件2's columns plus whether each met the lead-time rule."""
    columns = (*NOTICE_COLUMNS, LEAD_COLUMN.format(days=data.advance_days))
    _title(sheet, f"{NOTICE_TITLE}（{NOTICE_SUBTITLE.format(week=week_label(data.week))}）", len(columns))
    _header_row(sheet, 2, columns, widths=(24, 30, 18, 20, 24, 24, 24, 16))
    for row, notice in enumerate(data.notices, start=3):
        lead = LEAD_VALUE.format(answer=YES if notice.meets_rule else NO, days=notice.lead_days)
        values = (data.names.get(notice.unit_id, notice.unit_id), notice.theme, _local(notice.event_at, data.tz),
                  "、".join(notice.channels), notice.media, notice.liaison, notice.other, lead)
        _row(sheet, row, values)
    sheet.freeze_panes = "A3"


def _title(sheet: Worksheet, text: str, span: int, row: int = 1) -> None:
    put(sheet, row, 1, text, font=TITLE_FONT)
    if span > 1:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=span)
    sheet.row_dimensions[row].height = 2 * LINE_HEIGHT


def _header_row(sheet: Worksheet, row: int, names: tuple[str, ...], *, widths: tuple[int, ...]) -> None:
    _row(sheet, row, names, font=BOLD)
    _set_widths(sheet, widths)


def _set_widths(sheet: Worksheet, widths: tuple[int, ...]) -> None:
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def _row(sheet: Worksheet, row: int, values, *, start: int = 1, font: Font | None = None) -> None:
    for column, value in enumerate(values, start=start):
        cell = put(sheet, row, column, value, font=font)
        if isinstance(value, datetime):
            cell.number_format = DATETIME_FORMAT


def _labelled(sheet: Worksheet, row: int, label: str, text: str, *, merge: bool = True) -> int:
    """A 附件1 line: "label：" then the text (across the remaining columns when merged), tall enough to read; the next row."""
    put(sheet, row, 1, f"{label}：", font=BOLD)
    put(sheet, row, 2, text)
    if merge:
        sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=len(REPORT_WIDTHS))
    chars_per_line = sum(REPORT_WIDTHS[1:] if merge else REPORT_WIDTHS[1:2]) // 2  # a Chinese character is about two width units
    lines = sum(max(1, math.ceil(len(part) / chars_per_line)) for part in text.split("\n"))
    sheet.row_dimensions[row].height = min(MAX_ROW_HEIGHT, LINE_HEIGHT * lines)
    return row + 1


def _local(moment: datetime, tz) -> datetime:
    """Excel has no time zones: a naive local time."""
    return moment.astimezone(tz).replace(tzinfo=None)


def _sheet_name(book: Workbook, name: str) -> str:
    """A valid, unique sheet title for a unit (31 characters at most, none of []:*?/\\)."""
    base = SHEET_NAME_BAD.sub("", name)[:SHEET_NAME_MAX] or UNIT
    candidate, n = base, 2
    while candidate in book.sheetnames:
        suffix = f"({n})"
        candidate, n = base[: SHEET_NAME_MAX - len(suffix)] + suffix, n + 1
    return candidate
