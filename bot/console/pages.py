"""The console's pages: this week, the timeliness grid, campaign progress, events, a unit, a report.

Each page reads in one short transaction with a fixed number of queries, whatever the number of units.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask import abort, redirect, render_template, request, url_for
from sqlmodel import Session

from bot.console.access import admins_only, blueprint, the_bot, transaction, viewer
from common.config import Period
from common.weeks import local_week, parse_week, shift_week, week_of
from reports.campaign import contributions, progress_of, unit_progress_of, unit_weekly_counts, weekly_counts, weeks_between
from reports.exports import FORMATS
from reports.form_rows import article_line, report_head, report_tail
from reports.grid import CELL_STATES, SORTS, cell_state, columns, timeliness_grid, unit_row
from reports.labels import dated_week_label, moment, revision_timeliness, week_label, week_number
from reports.notices import lead_flag, when
from reports.revisions import revision_changes
from reports.status import MISSING, RETURNED, describe, not_yet_due, unit_status, week_counts, week_statuses
from reports.unitmatch import short_names
from reports.week import shown_submitters
from storage.notices import modified_notices, upcoming_notices
from storage.people import known_names
from storage.reports import current_submitters, report_revisions, reports_of_unit
from storage.returns import returns_of
from storage.units import UnitRef, active_unit_refs, unit_names

GRID_WEEKS = 12
PAGE_SIZE = 100  # units per page of the grid and of the campaign's units: a country's 3,500 stay readable on a phone
EVENT_DAYS = 30
CAMPAIGN = "campaign"


def render(template: str, **values) -> str:
    bot = the_bot()
    helpers = dict(week_label=week_label, week_number=week_number, moment=lambda at: moment(at, bot.config.schedule.tz))
    return render_template(f"console/{template}", viewer=viewer(), legend=CELL_STATES, **helpers, **values)


def this_week() -> str:
    bot = the_bot()
    return local_week(bot.clock(), bot.config.schedule.tz)


def today() -> date:
    bot = the_bot()
    return bot.clock().astimezone(bot.config.schedule.tz).date()


def last_weeks(last: str) -> list[str]:
    """The GRID_WEEKS weeks up to `last`, oldest first."""
    return [shift_week(last, -i) for i in reversed(range(GRID_WEEKS))]


def week_or_404(text: str) -> str:
    week = parse_week(text)
    if week != text:
        abort(404)
    return week


def unit_or_404(session: Session, unit_id: str) -> UnitRef:
    if not viewer().may_see(unit_id):
        abort(403)
    unit = next((u for u in active_unit_refs(session=session) if u.id == unit_id), None) if viewer().is_admin else viewer().unit
    return unit or abort(404)


@blueprint.get("/")
def home():
    if viewer().is_admin:
        return redirect(url_for("console.week_page", week=this_week()))
    return redirect(url_for("console.unit_page", unit_id=viewer().unit.id))


@blueprint.get("/week")
@blueprint.get("/week/<week>")
def week_page(week: str = ""):
    admins_only()
    week = week_or_404(week) if week else this_week()
    bot = the_bot()
    with transaction() as session:
        statuses = week_statuses(session=session, calendar=bot.calendar, week=week)
        submitters = shown_submitters(session, current_submitters(session=session, week=week))
    tz = bot.config.schedule.tz
    not_due = not_yet_due(bot.calendar, week, bot.clock())
    rows = [(s, cell_state(s, not_due=not_due), describe(s, tz), submitters.get(s.header.unit_id, "")) for s in statuses]
    current = this_week()
    return render(
        "week.html", week=week, rows=rows, counts=week_counts(statuses), not_due=not_due, deadline=bot.calendar.deadline(week), formats=FORMATS,
        chase=week == current and not bot.calendar.plan(week).exempt, MISSING=MISSING,
        before=shift_week(week, -1), after=shift_week(week, 1) if week < current else None, dated=dated_week_label(week),
    )


@blueprint.get("/grid")
def grid_page():
    admins_only()
    bot = the_bot()
    span = request.args.get("span", "")
    sort = request.args.get("sort", "unit") if request.args.get("sort") in SORTS else "unit"
    last = this_week()
    first = week_of(bot.config.campaign.start_for(today())) if span == CAMPAIGN else None
    weeks = weeks_between(first, last) if first and first <= last else last_weeks(last)
    with transaction() as session:
        grid = timeliness_grid(session=session, calendar=bot.calendar, weeks=weeks, now=bot.clock(), sort=sort)
    page, pages, rows = _page_of(grid.rows)
    names = {unit.id: unit.name for unit in _short_names([UnitRef(row.unit_id, row.name) for row in rows])}
    return render("grid.html", grid=grid, rows=rows, names=names, page=page, pages=pages, sort=sort, span=span, week_counts=grid.week_counts())


@blueprint.get("/campaign")
def campaign_page():
    admins_only()
    bot = the_bot()
    start = bot.config.campaign.start_for(today())
    if today() < start:
        return render("campaign.html", start=start, targets=[], units=[], page=1, pages=1)
    weeks = weeks_between(week_of(start), this_week())
    exempt = {w for w in weeks if bot.calendar.plan(w).exempt}
    targets = bot.config.campaign.effective_targets()
    with transaction() as session:
        counts, by_type = weekly_counts(session, weeks), contributions(session, weeks)
        page, pages, shown = _page_of(active_unit_refs(session=session))
        per_unit = unit_weekly_counts(session, weeks, [u.id for u in shown])
        names = unit_names(session=session, unit_ids={u for counter in by_type.values() for u in counter})
    progress = [(progress_of(t, weeks, counts, exempt), by_type[t.type].most_common()) for t in targets]
    shares = [(short, [unit_progress_of(t, len(bot.config.units), weeks, per_unit[short.id], exempt) for t in targets]) for short in _short_names(shown)]
    return render("campaign.html", start=start, week=weeks[-1], targets=progress, names=names, units=shares, page=page, pages=pages,
                  Period=Period)


@blueprint.get("/events")
def events_page():
    admins_only()
    bot = the_bot()
    tz = bot.config.schedule.tz
    start = datetime.combine(today(), time(0), tzinfo=tz)
    with transaction() as session:
        notices = upcoming_notices(session=session, start=start, end=start + timedelta(days=EVENT_DAYS), withdrawn=True)
        modified = modified_notices(session=session, notice_ids=[n.id for n in notices])
        names = unit_names(session=session, unit_ids={n.unit_id for n in notices})
    days: dict = {}
    for notice in notices:
        days.setdefault(notice.event_at.astimezone(tz).date(), []).append(
            (notice, when(notice, tz, today()), lead_flag(notice, bot.config.schedule.advance_days), notice.id in modified)
        )
    return render("events.html", days=days, names=names, window=EVENT_DAYS, today=today())


@blueprint.get("/unit/<unit_id>")
def unit_page(unit_id: str):
    bot = the_bot()
    current = this_week()
    weeks = last_weeks(current)
    start = bot.config.campaign.start_for(today())
    with transaction() as session:
        unit = unit_or_404(session, unit_id)
        headers = reports_of_unit(session=session, unit_id=unit.id, weeks=weeks)
        campaign_weeks = weeks_between(week_of(start), current) if start <= today() else []
        counts = weekly_counts(session, campaign_weeks, unit_id=unit.id) if campaign_weeks else {}
        notices = upcoming_notices(session=session, start=bot.clock(), unit_id=unit.id)
    row = unit_row(unit, headers, columns(bot.calendar, weeks, bot.clock()))
    exempt = {w for w in campaign_weeks if bot.calendar.plan(w).exempt}
    targets = bot.config.campaign.effective_targets()
    shares = [unit_progress_of(t, len(bot.config.units), campaign_weeks, counts, exempt) for t in targets] if campaign_weeks else []
    tz = bot.config.schedule.tz
    history = [(cell, describe(cell.status, tz)) for cell in row.cells]
    notes = [(n, when(n, tz, today()), lead_flag(n, bot.config.schedule.advance_days)) for n in notices]
    return render("unit.html", unit=unit, history=history, shares=shares, notices=notes, Period=Period)


@blueprint.get("/report/<unit_id>/<week>")
def report_page(unit_id: str, week: str):
    week = week_or_404(week)
    bot = the_bot()
    with transaction() as session:
        unit = unit_or_404(session, unit_id)
        revisions = report_revisions(session=session, unit_id=unit.id, week=week)
        returns = returns_of(session=session, report_id=revisions[0].report.id) if revisions else []
        status = unit_status(session=session, calendar=bot.calendar, unit_id=unit.id, unit_name=unit.name, week=week)
        names = known_names(session=session, user_ids={r.revision.submitted_by for r in revisions} | {r.returned_by for r in returns})
    if not revisions:
        state = cell_state(status, not_due=not_yet_due(bot.calendar, week, bot.clock()))
        return render("report.html", unit=unit, week=week, dated=dated_week_label(week), saved=None, state=state)
    current = revisions[-1]
    first_on_time = current.report.on_time
    history = [
        (saved, names.get(saved.revision.submitted_by, saved.revision.submitted_by),
         revision_timeliness(first_on_time=first_on_time, on_time=saved.revision.on_time), changed)
        for saved, changed in revision_changes(revisions)
    ]
    return render(
        "report.html", unit=unit, week=week, dated=dated_week_label(week), saved=current, status=describe(status, bot.config.schedule.tz),
        head=report_head(current, unit.name), articles=[(a, article_line(a)) for a in current.articles], tail=report_tail(current),
        history=history, returns=[(r, names.get(r.returned_by, r.returned_by)) for r in returns],
        returnable=viewer().is_admin and week in (this_week(), shift_week(this_week(), -1)) and status.state != RETURNED,
    )


def _short_names(units: list[UnitRef]) -> list[UnitRef]:
    """The units as lists on a phone name them: the configured short name, else one derived from the full name (景洪)."""
    configured = {u.id: u.short_name for u in the_bot().config.units}
    names = short_names([(u.id, u.name, configured.get(u.id, "")) for u in units])
    return [u._replace(name=names[u.id]) for u in units]


def _page_of(items: list) -> tuple[int, int, list]:
    """The page asked for (`?page=`, from 1) of PAGE_SIZE items, the number of pages, and its items."""
    pages = max(1, -(-len(items) // PAGE_SIZE))
    try:
        page = min(max(int(request.args.get("page", "1")), 1), pages)
    except ValueError:
        page = 1
    return page, pages, items[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
