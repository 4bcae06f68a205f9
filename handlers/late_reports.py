"""After a week's deadline, each submission of its report is told to the office groups, once per revision.

The office may already have forwarded the week (it gets the workbook at the overdue alert): a late report, or
a change to one it has, must reach it. Before the deadline nothing is pushed.
"""

from __future__ import annotations

from handlers.base import Context
from reports import labels
from reports.revisions import changed_fields
from storage.outbox import push_key
from storage.reports import SavedReport, current_report

LATE = "【周报逾期报送】{unit} {week}周报已于截止后提交。"
REVISED = "【周报修改】{unit} {week}周报第{n}版（{status}），修改了：{fields}。"
UNCHANGED = "【周报修改】{unit} {week}周报第{n}版（{status}），内容与第{previous}版相同。"


def tell_office(ctx: Context, meta: dict, number: int) -> None:
    """Push revision `number` of the draft's week, just stored after the deadline, to the office groups."""
    unit_id, week = meta["unit_id"], meta["week"]
    saved = current_report(session=ctx.session, unit_id=unit_id, week=week, number=number)
    previous = current_report(session=ctx.session, unit_id=unit_id, week=week, number=number - 1) if number > 1 else None
    text = office_text(meta["unit_name"], week, saved, previous)
    ctx.push_to_groups(ctx.config.office.groups, text, key=push_key("report", unit_id, week, number))


def office_text(unit_name: str, week: str, saved: SavedReport, previous: SavedReport | None) -> str:
    """One short line: the unit, the week, 逾期 or 截止后修改, and what changed from the revision before."""
    head = {"unit": unit_name, "week": labels.week_label(week)}
    if previous is None:
        return LATE.format(**head)
    status = labels.revision_timeliness(first_on_time=saved.report.on_time, on_time=saved.revision.on_time)
    fields = changed_fields(previous, saved)
    if not fields:
        return UNCHANGED.format(**head, n=saved.revision.number, status=status, previous=previous.revision.number)
    return REVISED.format(**head, n=saved.revision.number, status=status, fields="、".join(fields))
