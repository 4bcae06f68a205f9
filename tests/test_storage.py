"""Repository functions on a real SQLite file."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from storage.engine import session_scope
from storage.models import OutboxMessage, ReportRevision
from storage.notices import create_notice, notice_history, upcoming_notices, update_notice, withdraw_notice
from storage.outbox import Kind, Push, push_key, queue
from storage.reports import current_report, latest_contact, units_missing_report, units_reported_late
from tests.support.config import shanghai
from tests.support.factories import add_report

ARTICLE = ("标题", "https://a.example/1", "微信公众号")


def test_revisions_accumulate_under_one_current_report(bot):
    add_report(bot, "jinghong", "2026-W48", shanghai(2026, 11, 26, 9), by="jh1", articles=[ARTICLE], on_time=True)
    add_report(bot, "jinghong", "2026-W48", shanghai(2026, 11, 27, 13), by="jh2", articles=[ARTICLE], on_time=False, contact="王芳")
    with Session(bot.engine) as session:
        current = current_report(session=session, unit_id="jinghong", week="2026-W48")
        assert current.revision.number == 2 and current.revision.submitted_by == "jh2" and not current.revision.on_time
        assert current.report.on_time and current.report.first_submitted_at == shanghai(2026, 11, 26, 9)
        assert [a.title for a in current.articles] == ["标题"]
        assert len(session.exec(select(ReportRevision)).all()) == 2
        assert [u.id for u in units_missing_report(session=session, week="2026-W48")] == ["mengla"]
        assert units_reported_late(session=session, week="2026-W48") == []  # the first submission decides
        assert latest_contact(session=session, unit_id="jinghong") == ("王芳", "13800138000")
        assert current_report(session=session, unit_id="mengla", week="2026-W48") is None


def test_a_numbered_revision_comes_with_its_own_articles_in_order(bot):
    second = ("第二篇", "", "电视专题")
    add_report(bot, "jinghong", "2026-W48", shanghai(2026, 11, 26, 9), by="jh1", articles=[ARTICLE, second])
    add_report(bot, "jinghong", "2026-W48", shanghai(2026, 11, 26, 10), by="jh2", articles=[])
    with Session(bot.engine) as session:
        first = current_report(session=session, unit_id="jinghong", week="2026-W48", number=1)
        current = current_report(session=session, unit_id="jinghong", week="2026-W48")
        assert (first.revision.number, first.revision.submitted_by, [a.title for a in first.articles]) == (1, "jh1", ["标题", "第二篇"])
        assert [(a.position, a.channel) for a in first.articles] == [(1, "微信公众号"), (2, "电视专题")]
        assert (current.revision.number, current.articles) == (2, [])
        assert current.report.id == first.report.id and current.report.current_revision == 2
        assert current_report(session=session, unit_id="jinghong", week="2026-W48", number=3) is None


def test_notice_lifecycle_keeps_history(bot):
    at = shanghai(2026, 11, 25, 10)
    values = dict(theme="集中执行", event_at=at + timedelta(days=5), channels=["执行直播"], media="州电视台", liaison="李华 13800138000", other="", lead_days=5,
                  meets_rule=True)
    with session_scope(bot.engine) as session:
        notice = create_notice(session=session, unit_id="jinghong", by="jh1", at=at, values=values)
        update_notice(session=session, notice=notice, by="jh2", at=at, values={"theme": "集中执行行动"})
        assert [n.theme for n in upcoming_notices(session=session, start=at, end=at + timedelta(days=14))] == ["集中执行行动"]
        withdraw_notice(session=session, notice=notice, by="jh1", at=at)
        assert upcoming_notices(session=session, start=at, end=at + timedelta(days=14)) == []
        assert [r.action for r in notice_history(session=session, notice_id=notice.id)] == ["created", "modified", "withdrawn"]


def test_outbox_key_is_queued_once(bot):
    now = shanghai(2026, 11, 26, 15)
    with session_scope(bot.engine) as session:
        assert queue(session=session, pushes=[Push("k1", Kind.GROUP, "office", "a")], now=now) == 1
        assert queue(session=session, pushes=[Push("k1", Kind.GROUP, "office", "b")], now=now) == 0
    with Session(bot.engine) as session:
        rows = session.exec(select(OutboxMessage)).all()
        assert [(r.text, r.created_at) for r in rows] == [("a", now)]


def test_push_keys_join_their_parts_leaving_out_empty_ones():
    assert push_key("notice", 12, 3, "office") == "notice:12:3:office"
    assert push_key("thursday_reminder", "2026-W48", "mengla", "") == "thursday_reminder:2026-W48:mengla"
