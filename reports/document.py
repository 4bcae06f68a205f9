"""The week as one Word document: each unit's 附件1 on an A4 portrait page of its own, then the week's 附件2 notices in landscape."""

from __future__ import annotations

import io
from datetime import datetime
from string import Formatter

from docx import Document
from docx.blkcntnr import BlockItemContainer
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Cm, Pt
from docx.table import Table

from reports.attachments import NOTICE_TITLE, REPORT_TITLE
from reports.form_rows import notice_columns, notice_subtitle, notice_values, printable, two_column_report
from reports.labels import dated_week_label
from reports.paper import (
    A4_CM,
    BODY_PT,
    FONT,
    FOOTER_PT,
    HEADER_FOOTER_CM,
    MARGIN_CM,
    NOTICE_SHARES,
    PAGE_FOOTER,
    SUBTITLE_PT,
    TITLE_PT,
    TWO_COLUMN_SHARES,
    usable_width_cm,
)
from reports.week import WeekData
from storage.models import Notice
from storage.reports import SavedReport

TABLE_STYLE_ID = "TableGrid"  # "Table Grid" of python-docx's default template: a thin line round every cell
DATETIME_TEXT = "%Y-%m-%d %H:%M"  # as the workbook shows it
NO_NOTICES = "本周没有重点策划。"
FIELD_CODES = {"page": "PAGE", "pages": "NUMPAGES"}
CHINESE = "zh-CN"
LATIN_FONT = "Times New Roman"  # letters and digits in Chinese documents
LINE_PT, SPACE_AFTER_PT = 18, 3


def build_document(data: WeekData) -> bytes:
    """The document as .docx bytes."""
    document = Document()
    _set_fonts(document)
    _set_page(document.sections[0], landscape=False)
    _page_numbers(document.sections[0])
    for index, saved in enumerate(data.reports):
        _append(document, _report(document, saved, data, new_page=index > 0))
    if data.reports:
        document.add_section(WD_SECTION.NEW_PAGE)
    _set_page(document.sections[-1], landscape=True)
    _append(document, _notices(document, data))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _report(document: WordDocument, saved: SavedReport, data: WeekData, *, new_page: bool) -> BaseOxmlElement:
    """附件1 as the plan prints it: the title, the week, then label | content rows."""
    body, block = _block(document)
    _heading(block, REPORT_TITLE, dated_week_label(data.week), new_page=new_page)
    table = _table(block, TWO_COLUMN_SHARES, landscape=False)
    for line in two_column_report(saved, data.unit_name(saved)):
        _add_row(table, line, bold_columns=1)
    return body


def _notices(document: WordDocument, data: WeekData) -> BaseOxmlElement:
    """附件2's table for landscape pages (eight columns read better wide), its header row repeated on each page."""
    body, block = _block(document)
    _heading(block, NOTICE_TITLE, notice_subtitle(data), new_page=False)
    if not data.notices:
        block.add_paragraph(NO_NOTICES)
        return body
    table = _table(block, NOTICE_SHARES, landscape=True)
    columns = notice_columns(data)
    _repeat_as_header(_add_row(table, columns, bold_columns=len(columns)))
    for notice in data.notices:
        _add_row(table, _notice_texts(notice, data))
    return body


def _block(document: WordDocument) -> tuple[BaseOxmlElement, BlockItemContainer]:
    """A detached body to build in: python-docx finds a body's end by scanning all of it, so adding to the document's
    own body, report after report, would grow quadratically with the reports."""
    body = OxmlElement("w:body")
    return body, BlockItemContainer(body, document)


def _append(document: WordDocument, body: BaseOxmlElement) -> None:
    """Move what was built in a detached body to the end of the document, before its last section's properties."""
    end = document.element.body.sectPr
    for element in list(body):
        end.addprevious(element)


def _notice_texts(notice: Notice, data: WeekData) -> list[str]:
    """The notice's row as text, its time as the workbook shows it."""
    return [value.strftime(DATETIME_TEXT) if isinstance(value, datetime) else value or "" for value in notice_values(notice, data)]


def _heading(block: BlockItemContainer, title: str, subtitle: str, *, new_page: bool) -> None:
    """A centred bold title and a centred line under it; `new_page` starts it on a fresh page."""
    first = block.add_paragraph()
    first.paragraph_format.page_break_before = new_page
    for paragraph, text, size in ((first, title, TITLE_PT), (block.add_paragraph(), subtitle, SUBTITLE_PT)):
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(printable(text)).font.size = Pt(size)
    first.runs[0].font.bold = True


def _table(block: BlockItemContainer, shares: tuple[int, ...], *, landscape: bool) -> Table:
    """An empty boxed table spanning the page, its columns in the given shares; each row added copies the widths."""
    width = usable_width_cm(landscape=landscape)
    table = block.add_table(0, len(shares), Cm(width))
    table._tbl.tblPr.style = TABLE_STYLE_ID  # Table.style would look the style up by name for every table
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, share in zip(table.columns, shares, strict=True):
        column.width = Cm(width * share / sum(shares))
    return table


def _add_row(table: Table, texts, *, bold_columns: int = 0):
    """A row of texts, those of the first `bold_columns` cells in bold; the row."""
    row = table.add_row()
    for index, (cell, text) in enumerate(zip(row.cells, texts, strict=True)):
        _write(cell, text, bold=index < bold_columns)
    return row


def _write(cell, text: str, *, bold: bool) -> None:
    """A cell's text, control characters dropped; a "\n" becomes a line break."""
    run = cell.paragraphs[0].add_run(printable(text))
    if bold:  # only then: an explicit "not bold" costs as much to write
        run.font.bold = True


def _repeat_as_header(row) -> None:
    """Word and LibreOffice repeat a row marked w:tblHeader at the top of each page the table runs onto."""
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


def _set_page(section: Section, *, landscape: bool) -> None:
    """A4 in the given orientation, with the plan's margins."""
    short, long = Cm(A4_CM[0]), Cm(A4_CM[1])
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    for side, cm in MARGIN_CM.items():
        setattr(section, f"{side}_margin", Cm(cm))
    section.header_distance = section.footer_distance = Cm(HEADER_FOOTER_CM)


def _page_numbers(section: Section) -> None:
    """"第 1 页 共 3 页" centred in the footer, PAGE and NUMPAGES being fields Word fills in; later sections inherit it."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text, field, _, _ in Formatter().parse(PAGE_FOOTER):
        paragraph.add_run(text).font.size = Pt(FOOTER_PT)
        if field:
            paragraph._p.append(_field(FIELD_CODES[field]))


def _field(code: str):
    """A simple field (`w:fldSimple`) whose shown value the reader's Word or LibreOffice computes."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), code)
    run, text, properties, size = OxmlElement("w:r"), OxmlElement("w:t"), OxmlElement("w:rPr"), OxmlElement("w:sz")
    size.set(qn("w:val"), str(FOOTER_PT * 2))  # half-points
    properties.append(size)
    text.text = "1"
    run.extend([properties, text])
    field.append(run)
    return field


def _set_fonts(document: WordDocument) -> None:
    """宋体 for Chinese and Times New Roman for Latin, in the defaults and Normal; Normal's size and line spacing.

    python-docx's font.name sets only the Latin slots: Chinese text reads w:eastAsia, set here by hand.
    """
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    normal = document.styles["Normal"]
    for element in (defaults, normal.element.get_or_add_rPr()):
        fonts = element.get_or_add_rFonts()
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)  # a theme font would win over the names below
        for slot, name in (("w:ascii", LATIN_FONT), ("w:hAnsi", LATIN_FONT), ("w:cs", LATIN_FONT), ("w:eastAsia", FONT)):
            fonts.set(qn(slot), name)
    defaults.find(qn("w:lang")).set(qn("w:eastAsia"), CHINESE)  # Chinese punctuation and line breaking
    _set_body_text(normal)


def _set_body_text(normal) -> None:
    """BODY_PT, lines at least LINE_PT apart (faces' own line heights run from 1.0 to 1.4 em), a little space after."""
    normal.font.size = Pt(BODY_PT)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
    normal.paragraph_format.line_spacing = Pt(LINE_PT)
    normal.paragraph_format.space_after = Pt(SPACE_AFTER_PT)  # keeps text off a cell's lower border
