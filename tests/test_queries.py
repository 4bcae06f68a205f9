"""The office's queries run a fixed number of statements however many units there are (no query per unit)."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event
from sqlmodel import Session, select

from scheduler.jobs import Outbox, friday_overdue
from storage.engine import session_scope
from storage.models import Membership, Unit
from storage.reports import article_counts, current_reports, units_with_reports
from storage.units import UnitSpec, add_admin_member, members_by_unit, sync_units
from tests.support.config import shanghai
from tests.support.factories import add_report

UNITS = 120


@contextmanager
def counted(engine):
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listener)


def add_units(bot) -> None:
    """UNITS units sharing the jinghong group, one member each."""
    specs = [UnitSpec(f"u{i:03d}", f"第{i}法院", "jinghong", (f"user{i}",)) for i in range(UNITS)]
    with session_scope(bot.engine) as session:
        sync_units(session=session, units=specs)


def selects(statements: list[str]) -> list[str]:
    return [s for s in statements if s.lstrip().upper().startswith("SELECT")]


def test_week_queries_do_not_grow_with_the_units(bot):
    add_units(bot)
    for i in range(0, UNITS, 2):
        add_report(bot, f"u{i:03d}", "2026-W48", shanghai(2026, 11, 24, 9), by=f"user{i}", articles=[("t", "https://x", "微博")])
    with Session(bot.engine) as session, counted(bot.engine) as statements:
        headers = units_with_reports(session=session, week="2026-W48")
        reports = current_reports(session=session, week="2026-W48")
        members = members_by_unit(session=session, unit_ids=[h.unit_id for h in headers if not h.revisions])
        counts = article_counts(session=session, first_week="2026-W27", last_week="2026-W48")
    assert len(headers) == UNITS and sum(h.revisions == 1 for h in headers) == UNITS // 2
    assert len(reports) == UNITS // 2 and all(len(s.articles) == 1 for s in reports)
    assert len(members) == UNITS // 2 and counts == [("2026-W48", "微博", UNITS // 2)]
    assert len(selects(statements)) == 5


def test_overdue_job_reads_do_not_grow_with_the_units(bot):
    add_units(bot)
    add_report(bot, "u000", "2026-W48", shanghai(2026, 11, 27, 13), by="user0")
    with Session(bot.engine) as session, counted(bot.engine) as statements:
        outbox = Outbox(session, "friday_overdue", "2026-W48", shanghai(2026, 11, 27, 12, 5))
        friday_overdue(session=session, outbox=outbox, period="2026-W48", config=bot.config, calendar=bot.calendar)
    assert outbox.queued == 5  # the two office groups' text and workbook, and one message to the units' shared group
    assert len(selects(statements)) == 3 + 5  # missing units, late units, their members; the workbook: statuses, reports, articles, notices, submitters


def test_config_sync_reads_each_table_once_and_writes_only_the_changes(bot):
    add_units(bot)
    with session_scope(bot.engine) as session:
        add_admin_member(session=session, user_id="helper", unit_id="u001")
        add_admin_member(session=session, user_id="newcomer", unit_id="u002")  # then written into the config
    specs = [UnitSpec(f"u{i:03d}", f"第{i}法院", "jinghong", (f"user{i}",)) for i in range(1, UNITS)]
    specs[0] = UnitSpec("u001", "第1法院（新名）", "mengla", ("user1", "newcomer"))
    with session_scope(bot.engine) as session, counted(bot.engine) as statements:
        sync_units(session=session, units=specs)
    with Session(bot.engine) as session:
        units = {u.id: u for u in session.exec(select(Unit)).all()}
        members = {m.user_id: (m.unit_id, m.source) for m in session.exec(select(Membership)).all()}
    assert not units["u000"].active and units["u002"].active
    assert (units["u001"].name, units["u001"].group_id) == ("第1法院（新名）", "mengla")
    assert members["newcomer"] == ("u001", "config") and members["helper"] == ("u001", "admin") and "user0" not in members
    assert len(selects(statements)) == 2 and len(statements) < 10
