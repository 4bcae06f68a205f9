"""How the workbook looks on paper: the forms' cell styles, rows as tall as their text, each sheet's page (A4, one page wide, page numbers)."""

from __future__ import annotations

import math

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break, RowBreak
from openpyxl.worksheet.worksheet import Worksheet

from reports.paper import BODY_PT, FONT, FOOTER_PT, HEADER_FOOTER_CM, MARGIN_CM, PAGE_FOOTER, SUBTITLE_PT, TITLE_PT

CM_PER_INCH = 2.54
THIN = Side(style="thin")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOXES = {  # (first row, last row) of a text that runs over several rows: no line inside it
    (True, True): GRID,
    (True, False): Border(left=THIN, right=THIN, top=THIN),
    (False, False): Border(left=THIN, right=THIN),
    (False, True): Border(left=THIN, right=THIN, bottom=THIN),
}
BODY = Font(name=FONT, size=BODY_PT)
BOLD = Font(name=FONT, size=BODY_PT, bold=True)
TITLE = Font(name=FONT, size=TITLE_PT, bold=True)
SUBTITLE = Font(name=FONT, size=SUBTITLE_PT)
WRAP = Alignment(wrap_text=True, vertical="top")
TEXT, LABEL, FIGURE = "附件正文", "附件标签", "附件数字"  # the forms' named cell styles, as Excel lists them
NAMED_STYLES = {
    TEXT: (BODY, WRAP),
    LABEL: (BOLD, WRAP),
    FIGURE: (BODY, Alignment(horizontal="center", vertical="top")),
}
CENTRED = Alignment(horizontal="center", vertical="center", wrap_text=True)
ACROSS = Alignment(horizontal="centerContinuous", vertical="center")  # centred over the row's empty cells, with no merge
HALF_WIDTHS_PER_UNIT = 0.85  # a Chinese character at 12 pt is 16 px, 2.3 column units of 7 px; a little less, for line-breaking rules
LATIN_WIDTH = 1.2  # Latin letters and digits in a proportional face run a little wider than half a Chinese character
LINK_WIDTH = 1.6  # and a link wraps only at "/" or "-", leaving lines short
LINK_STARTS = ("http://", "https://")
LINE_HEIGHT = 16  # points per line of 12 pt text: 宋体 sets its lines 12 pt apart, the faces standing in for it up to 17
ROW_PADDING = 4
MAX_ROW_HEIGHT = 409  # Excel's limit: a taller text is cut, so a long one runs on over several rows
MAX_LINES_PER_ROW = (MAX_ROW_HEIGHT - ROW_PADDING) // LINE_HEIGHT
FOOTER_FONT = f"{FONT},Regular"
EXCEL_FOOTER = PAGE_FOOTER.format(page="&P", pages="&N")


def add_named_styles(book: Workbook) -> None:
    """The forms' boxed cell styles, by name: naming a style costs a cell far less than its font, alignment and border do."""
    for name, (font, alignment) in NAMED_STYLES.items():
        book.add_named_style(NamedStyle(name=name, font=font, alignment=alignment, border=GRID))


def set_up_page(sheet: Worksheet, *, landscape: bool, title_rows: str | None = None) -> None:
    """A4 in the given orientation, shrunk to one page wide if need be, `title_rows` repeated, page numbers below."""
    setup = sheet.page_setup
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.orientation = sheet.ORIENTATION_LANDSCAPE if landscape else sheet.ORIENTATION_PORTRAIT
    setup.fitToWidth, setup.fitToHeight = 1, 0  # 0: as many pages tall as the content needs
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    margins = {side: cm / CM_PER_INCH for side, cm in MARGIN_CM.items()}
    sheet.page_margins = PageMargins(**margins, header=HEADER_FOOTER_CM / CM_PER_INCH, footer=HEADER_FOOTER_CM / CM_PER_INCH)
    sheet.oddFooter.center.text = EXCEL_FOOTER
    sheet.oddFooter.center.font = FOOTER_FONT
    sheet.oddFooter.center.size = FOOTER_PT
    if title_rows:
        sheet.print_title_rows = title_rows


def break_pages_after(sheet: Worksheet, rows: list[int]) -> None:
    """Start a new printed page below each of `rows`, set at once (RowBreak.append re-checks every break: quadratic)."""
    sheet.row_breaks = RowBreak(brk=[Break(id=row) for row in rows])


def row_chunks(text: str, width: float) -> list[str]:
    """The text in pieces of at most MAX_LINES_PER_ROW lines, cut between paragraphs where it can."""
    if lines_needed(text, width) <= MAX_LINES_PER_ROW:
        return [text]
    rows: list[list[str]] = [[]]
    for part in _paragraph_pieces(text, width):
        if rows[-1] and lines_needed("\n".join([*rows[-1], part]), width) > MAX_LINES_PER_ROW:
            rows.append([])
        rows[-1].append(part)
    return ["\n".join(parts) for parts in rows]


def _paragraph_pieces(text: str, width: float) -> list[str]:
    """The text's paragraphs, one longer than a row cut into pieces that each fill one."""
    budget = MAX_LINES_PER_ROW * max(1, int(width * HALF_WIDTHS_PER_UNIT))
    pieces = []
    for part in text.split("\n"):
        start, used = 0, 0
        for end, char in enumerate(part):
            used += _half_widths(char)
            if used > budget:
                pieces.append(part[start:end])
                start, used = end, _half_widths(char)
        pieces.append(part[start:])
    return pieces


def lines_needed(value, width: float) -> int:
    """How many lines a value wraps to in a column `width` units wide."""
    if not isinstance(value, str):
        return 1
    per_line = max(1, int(width * HALF_WIDTHS_PER_UNIT))
    return sum(max(1, math.ceil(_half_widths(part) / per_line)) for part in value.split("\n"))


def _half_widths(text: str) -> float:
    """Display width in half-width cells (a Chinese character is two); counted from the UTF-8 length, which is fast."""
    chinese = (len(text.encode()) - len(text)) // 2  # a Chinese character takes 3 bytes, ASCII 1
    latin = LINK_WIDTH if text.startswith(LINK_STARTS) else LATIN_WIDTH
    return 2 * chinese + latin * (len(text) - chinese)


def fit_height(sheet: Worksheet, row: int, lines: int) -> None:
    sheet.row_dimensions[row].height = min(MAX_ROW_HEIGHT, LINE_HEIGHT * lines + ROW_PADDING)
