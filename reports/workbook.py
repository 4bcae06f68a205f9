"""The week's Excel workbook: a summary, the 附件1 reports (a sheet each, or stacked for a province), the 附件2 notices.

Text is never a formula. Every sheet prints on A4, one page wide (reports/sheet_print.py).
"""

from __future__ import annotations

import io
import re
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Border, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from common.via import LABELS as VIA_LABELS
from reports.attachments import ARTICLE_COLUMNS, NOTICE_TITLE, REPORT_TITLE, UNIT
from reports.form_rows import (
    ARTICLES_LABEL,
    NO,
    YES,
    article_where,
    local_time,
    notice_columns,
    notice_subtitle,
    notice_values,
    printable,
    report_head,
    report_tail,
    two_column_report,
)
from reports.labels import dated_week_label
from reports.paper import NOTICE_SHARES, TWO_COLUMN_SHARES
from reports.sheet_print import (
    ACROSS,
    BOXES,
    CENTRED,
    FIGURE,
    GRID,
    LABEL,
    SUBTITLE,
    TEXT,
    TITLE,
    add_named_styles,
    break_pages_after,
    fit_height,
    lines_needed,
    row_chunks,
    set_up_page,
)
from reports.week import WeekData
from storage.reports import SavedReport

SUMMARY_SHEET = "汇总"
SUMMARY_TITLE = "{week}执行宣传工作周报汇总"
SUMMARY_COLUMNS = ("单位", "状态", "提交时间", "提交人", "提交渠道", "是否按时", "是否修改")
NOTICE_SHEET = "近期重点策划"
STACKED_SHEET = "周报明细"
MAX_REPORT_SHEETS = 300  # beyond this the reports share stacked sheets (see stacked_reports_sheet)
REPORTS_PER_STACKED_SHEET = 1000  # a page break after each; Excel refuses more than 1,023 on a sheet

DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
RISKY_START = ("=", "+", "-", "@", "\t", "\r")  # OWASP formula injection; NUL and other control characters are stripped
SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_MAX = 31
REPORT_WIDTHS = (16, 34, 28, 10)  # label or 稿件 number | title | link | type; the texts span B:D
SUMMARY_WIDTHS = (40, 12, 20, 14, 12, 12, 12)


def build_workbook(data: WeekData) -> bytes:
    """The workbook as .xlsx bytes."""
    book = Workbook()
    add_named_styles(book)
    summary_sheet(book.active, data)
    if len(data.reports) <= MAX_REPORT_SHEETS:
        for saved in data.reports:
            report_sheet(book.create_sheet(_sheet_name(book, data.unit_name(saved))), saved, data)
    else:
        for start in range(0, len(data.reports), REPORTS_PER_STACKED_SHEET):
            reports = data.reports[start : start + REPORTS_PER_STACKED_SHEET]
            stacked_reports_sheet(book.create_sheet(_sheet_name(book, STACKED_SHEET)), reports, data)
    notice_sheet(book.create_sheet(NOTICE_SHEET), data)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def put(sheet: Worksheet, row: int, column: int, value, *, style: str | None = TEXT):
    """Write one cell in a named style; text is cleaned of characters Excel refuses and always stored as text, never a formula."""
    cell = sheet.cell(row=row, column=column)
    if style is not None:
        cell.style = style  # first: a named style resets the cell's other formatting
    if isinstance(value, str):
        cell.value = printable(value)
        cell.data_type = "s"
        cell.quotePrefix = cell.value.startswith(RISKY_START)  # Excel keeps it text even when the cell is edited
    else:
        cell.value = value
    return cell


def summary_sheet(sheet: Worksheet, data: WeekData) -> None:
    """Every unit's standing in the week, one line each; a report sent back (已退回) keeps its first submission's time."""
    sheet.title = SUMMARY_SHEET
    _set_widths(sheet, SUMMARY_WIDTHS)
    _title(sheet, 1, SUMMARY_TITLE.format(week=dated_week_label(data.week)), len(SUMMARY_COLUMNS))
    _row(sheet, 2, SUMMARY_COLUMNS, style=LABEL)
    for row, status in enumerate(data.statuses, start=3):
        when = local_time(status.header.submitted_at, data.tz) if status.has_report else ""
        revised = (YES if status.revised else NO) if status.has_report else ""
        by = data.submitters.get(status.header.unit_id, "")
        via = VIA_LABELS.get(data.vias.get(status.header.unit_id, ""), "")
        _row(sheet, row, (status.name, status.state, when, by, via, status.timeliness, revised))
    sheet.freeze_panes = "A3"
    set_up_page(sheet, landscape=True, title_rows="2:2")


def report_sheet(sheet: Worksheet, saved: SavedReport, data: WeekData) -> None:
    """One report on a sheet and a page of its own, laid out like 附件1 with the 稿件 in columns."""
    _set_widths(sheet, REPORT_WIDTHS)
    row = _titles(sheet, 1, data, span=len(REPORT_WIDTHS))
    for label, text in report_head(saved, data.unit_name(saved)):
        row = _labelled(sheet, row, label, text, REPORT_WIDTHS)
    row = _articles(sheet, row, saved)
    for label, text in report_tail(saved):
        row = _labelled(sheet, row, label, text, REPORT_WIDTHS)
    set_up_page(sheet, landscape=False, title_rows="1:2")


def _articles(sheet: Worksheet, row: int, saved: SavedReport) -> int:
    """附件1's 稿件 rows: a header, then each article's number, title, link (or where it ran) and type; the next row."""
    _row(sheet, row, (ARTICLES_LABEL, *ARTICLE_COLUMNS), style=LABEL)
    for offset, article in enumerate(saved.articles, start=1):
        _row(sheet, row + offset, (article.position, article.title, article_where(article), article.channel))
    return row + len(saved.articles) + 1


def stacked_reports_sheet(sheet: Worksheet, reports: list[SavedReport], data: WeekData) -> None:
    """Reports one after another, each on its own printed page, in the plan's two columns and without merged cells.

    openpyxl slows quadratically both in sheets (each new title is checked against all the others)
    and in merged ranges on one sheet (each is checked against all the others); a province's week
    has thousands of reports.
    """
    _set_widths(sheet, TWO_COLUMN_SHARES)
    row, ends = 1, []
    for saved in reports:
        row = _titles(sheet, row, data, span=len(TWO_COLUMN_SHARES), merge=False)
        for label, text in two_column_report(saved, data.unit_name(saved)):
            row = _labelled(sheet, row, label, text, TWO_COLUMN_SHARES)
        ends.append(row)  # the blank row that ends the report
        row += 1
    break_pages_after(sheet, ends)
    set_up_page(sheet, landscape=False)


def notice_sheet(sheet: Worksheet, data: WeekData) -> None:
    """The week's notices in 附件2's columns plus whether each met the lead-time rule."""
    columns = notice_columns(data)
    _set_widths(sheet, NOTICE_SHARES)
    _title(sheet, 1, f"{NOTICE_TITLE}（{notice_subtitle(data)}）", len(columns))
    _row(sheet, 2, columns, style=LABEL)
    for row, notice in enumerate(data.notices, start=3):
        _row(sheet, row, notice_values(notice, data))
    sheet.freeze_panes = "A3"
    set_up_page(sheet, landscape=True, title_rows="2:2")


def _titles(sheet: Worksheet, row: int, data: WeekData, *, span: int, merge: bool = True) -> int:
    """附件1's title and the week under it, centred; the next row."""
    _title(sheet, row, REPORT_TITLE, span, merge=merge)
    _title(sheet, row + 1, dated_week_label(data.week), span, font=SUBTITLE, merge=merge)
    return row + 2


def _title(sheet: Worksheet, row: int, text: str, span: int, *, font: Font = TITLE, merge: bool = True) -> None:
    """A centred line over `span` columns: merged, or centred across them where merges would cost too much."""
    cell = put(sheet, row, 1, text, style=None)
    cell.font, cell.alignment = font, CENTRED if merge else ACROSS
    if merge:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=span)
    else:
        for column in range(2, span + 1):
            sheet.cell(row=row, column=column).alignment = ACROSS
    sheet.row_dimensions[row].height = 2 * font.size


def _set_widths(sheet: Worksheet, widths: tuple[int, ...]) -> None:
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def _row(sheet: Worksheet, row: int, values, *, style: str = TEXT) -> None:
    """A table row, boxed, tall enough for its longest value; numbers and times centred."""
    for column, value in enumerate(values, start=1):
        cell = put(sheet, row, column, value, style=style if isinstance(value, str) else FIGURE)
        if isinstance(value, datetime):
            cell.number_format = DATETIME_FORMAT
    widths = [sheet.column_dimensions[get_column_letter(c)].width for c in range(1, len(values) + 1)]
    fit_height(sheet, row, max(lines_needed(value, width) for value, width in zip(values, widths, strict=True)))


def _labelled(sheet: Worksheet, row: int, label: str, text: str, widths: tuple[int, ...]) -> int:
    """A 附件1 line: the label, then the text across the remaining columns (merged when several); the next row.

    A text too long for one row goes on in the rows below, boxed as one.
    """
    chunks = row_chunks(text, sum(widths[1:]))
    for index, chunk in enumerate(chunks):
        box = BOXES[index == 0, index == len(chunks) - 1]
        _labelled_row(sheet, row + index, label if index == 0 else "", chunk, widths, box)
    return row + len(chunks)


def _labelled_row(sheet: Worksheet, row: int, label: str, text: str, widths: tuple[int, ...], box: Border) -> None:
    """One row of a 附件1 line, boxed by `box`, tall enough for its label and its text."""
    for cell in (put(sheet, row, 1, label, style=LABEL), put(sheet, row, 2, text)):
        if box is not GRID:
            cell.border = box
    if len(widths) > 2:  # the merge copies the box's edges from B to the merged-away cells
        sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=len(widths))
    fit_height(sheet, row, max(lines_needed(label, widths[0]), lines_needed(text, sum(widths[1:]))))


def _sheet_name(book: Workbook, name: str) -> str:
    """A valid, unique sheet title for a unit (31 characters at most, none of []:*?/\\)."""
    base = SHEET_NAME_BAD.sub("", name)[:SHEET_NAME_MAX] or UNIT
    candidate, n = base, 2
    while candidate in book.sheetnames:
        suffix = f"({n})"
        candidate, n = base[: SHEET_NAME_MAX - len(suffix)] + suffix, n + 1
    return candidate
