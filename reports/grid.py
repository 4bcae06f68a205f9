"""The office's timeliness grid: every unit by week, one cell each (按时, 逾期, 未报, 免报, 已退回, or not yet due), with the
units' counts, built from one query of the weeks' report headers however many units there are.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from common.deadlines import ReportingCalendar
from reports.labels import LATE, ON_TIME
from reports.status import EXEMPT, MISSING, RETURNED, SUBMITTED, UnitStatus, not_yet_due
from storage.reports import ReportHeader, report_headers
from storage.units import UnitRef, active_unit_refs

NOT_REPORTED, NOT_DUE = "未报", "未到截止"
CELL_STATES = (ON_TIME, LATE, NOT_REPORTED, EXEMPT, RETURNED, NOT_DUE)  # the legend's order
SORTS = ("unit", "late")


@dataclass(frozen=True)
class Cell:
    week: str
    state: str  # one of CELL_STATES
    status: UnitStatus


@dataclass(frozen=True)
class Row:
    unit_id: str
    name: str
    cells: list[Cell]

    @property
    def counts(self) -> Counter:
        return Counter(cell.state for cell in self.cells)


@dataclass(frozen=True)
class Grid:
    weeks: list[str]
    rows: list[Row]

    def week_counts(self) -> dict[str, Counter]:
        """Each week's cells by state: the grid's column totals."""
        return {week: Counter(row.cells[i].state for row in self.rows) for i, week in enumerate(self.weeks)}


@dataclass(frozen=True)
class Columns:
    """The weeks of a grid, with what each week's calendar says once: exempt, or its deadline still ahead."""

    weeks: list[str]
    exempt: set[str]
    not_due: set[str]


def columns(calendar: ReportingCalendar, weeks: list[str], now: datetime) -> Columns:
    return Columns(weeks, {w for w in weeks if calendar.plan(w).exempt}, {w for w in weeks if not_yet_due(calendar, w, now)})


def timeliness_grid(*, session: Session, calendar: ReportingCalendar, weeks: list[str], now: datetime, sort: str = "unit") -> Grid:
    """Every active unit over `weeks` (oldest first); sorted by unit id, or with the most often late (then missing) first."""
    headers: dict[str, dict[str, ReportHeader]] = defaultdict(dict)
    for (unit_id, week), header in report_headers(session=session, first_week=weeks[0], last_week=weeks[-1]).items():
        headers[unit_id][week] = header
    grid_columns = columns(calendar, weeks, now)
    rows = [unit_row(unit, headers[unit.id], grid_columns) for unit in active_unit_refs(session=session)]
    if sort == "late":
        rows.sort(key=lambda row: (-row.counts[LATE], -row.counts[NOT_REPORTED], row.unit_id))
    return Grid(weeks, rows)


def unit_row(unit: UnitRef, headers: Mapping[str, ReportHeader], grid_columns: Columns) -> Row:
    """One unit's cells over the columns' weeks, from its report headers by week (weeks without a report are absent)."""
    cells = []
    for week in grid_columns.weeks:
        status = UnitStatus(headers.get(week) or ReportHeader(unit.id, unit.name), week in grid_columns.exempt)
        cells.append(Cell(week, cell_state(status, not_due=week in grid_columns.not_due), status))
    return Row(unit.id, unit.name, cells)


def cell_state(status: UnitStatus, *, not_due: bool) -> str:
    """What the unit's week shows: its report's timeliness, 已退回, 免报, or 未报 once the deadline has passed."""
    if status.state == SUBMITTED:
        return status.timeliness
    if status.state == MISSING:
        return NOT_DUE if not_due else NOT_REPORTED
    return status.state  # 已退回 or 免报
