"""The week's files, as `导出` sends them and `python -m bot export` writes them: the workbook or the Word document."""

from __future__ import annotations

from sqlmodel import Session

from common.config import Config
from common.deadlines import ReportingCalendar
from reports.document import build_document
from reports.week import WeekData, week_data
from reports.workbook import build_workbook

BUILDERS = {"xlsx": build_workbook, "docx": build_document}
FORMATS = tuple(BUILDERS)
FILENAME = "执行宣传周报_{week}.{format}"


def export_filename(week: str, fmt: str) -> str:
    """"执行宣传周报_2026-W48.docx"."""
    return FILENAME.format(week=week, format=fmt)


def build_export(data: WeekData, fmt: str) -> bytes:
    """The week's file in `fmt` (one of FORMATS) as bytes."""
    return BUILDERS[fmt](data)


def export_for_week(*, session: Session, config: Config, calendar: ReportingCalendar, week: str, fmt: str) -> bytes:
    """Read the week and build its file at once (`python -m bot export`, the scale bench)."""
    return build_export(week_data(session=session, config=config, calendar=calendar, week=week), fmt)
