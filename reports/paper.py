"""What the printed forms share in both files (the workbook and the Word document): A4, typeface, sizes, margins, footer, column shares."""

from __future__ import annotations

FONT = "宋体"  # the Song face every Chinese office PC has; forms forwarded upward are set in it
BODY_PT, SUBTITLE_PT, TITLE_PT, FOOTER_PT = 12, 12, 16, 10
A4_CM = (21.0, 29.7)
MARGIN_CM = {"top": 2.0, "bottom": 2.0, "left": 1.8, "right": 1.8}
HEADER_FOOTER_CM = 1.0
PAGE_FOOTER = "第 {page} 页 共 {pages} 页"

# Relative column widths; the workbook reads them as character units, the document scales them to the page.
TWO_COLUMN_SHARES = (17, 71)  # 附件1 as the plan prints it: label | content
NOTICE_SHARES = (16, 23, 19, 13, 16, 16, 15, 13)  # 附件2's columns and the lead-time column


def usable_width_cm(*, landscape: bool) -> float:
    """The width between the side margins."""
    width = A4_CM[1] if landscape else A4_CM[0]
    return width - MARGIN_CM["left"] - MARGIN_CM["right"]
