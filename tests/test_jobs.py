"""The scheduled jobs' pushes: who is reminded, the Friday alert, holidays, exempt weeks, the notice digest."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.runtime import build_bot, run_inline
from scheduler.catalog import enabled_jobs, next_due
from storage.engine import session_scope
from storage.notices import create_notice, withdraw_notice
from tests.support.config import make_config, shanghai
from tests.support.factories import add_report
from tests.support.scheduling import job, outbox, runs, service_for


def tick(bot, clock, name, at):
    clock.set(at)
    return service_for(bot, clock).tick(name)


def groups(messenger):
    """The texts sent to groups: (group, mentioned), by group (groups are sent to at once, each in order)."""
    return sorted((s.target, s.mention) for s in messenger.sent if s.kind == "group")


def group_files(messenger):
    return sorted((s.target, s.text) for s in messenger.sent if s.kind == "group_file")


def other_bot(db_url, messenger, clock, **schedule):
    config = make_config(db_url, schedule=schedule)
    return build_bot(config, messenger=messenger, clock=clock, background=run_inline)


def test_thursday_reminder_goes_only_to_units_without_a_report(bot, clock, messenger):
    add_report(bot, "jinghong", "2026-W48", shanghai(2026, 11, 24, 9))
    result = tick(bot, clock, "thursday_reminder", shanghai(2026, 11, 26, 15, 0))
    assert (result.outcome, result.period, result.queued) == ("fired", "2026-W48", 1)
    assert groups(messenger) == [("mengla", ("ml1",))]
    text = messenger.sent[0].text
    assert "勐腊县人民法院" in text and "11月27日（周五）12:00" in text and "周报" in text


def test_nothing_is_sent_before_the_moment(bot, clock, messenger):
    tick(bot, clock, "thursday_reminder", shanghai(2026, 11, 25, 15, 0))  # the cron also wakes on Wednesday
    assert messenger.sent == [] and ("thursday_reminder", "2026-W48") not in runs(bot)


def test_friday_alert_tells_office_and_cc_and_alerts_the_overdue_group(bot, clock, messenger):
    add_report(bot, "jinghong", "2026-W48", shanghai(2026, 11, 27, 12, 2), on_time=False)
    tick(bot, clock, "friday_overdue", shanghai(2026, 11, 27, 12, 5))
    assert groups(messenger) == [("enforcement", ()), ("mengla", ("ml1",)), ("office", ())]
    assert group_files(messenger) == [("enforcement", "执行宣传周报_2026-W48.xlsx"), ("office", "执行宣传周报_2026-W48.xlsx")]
    office = messenger.to("office")[0].text
    assert messenger.to("enforcement")[0].text == office
    assert "第48周（11月23日—29日）" in office and "未报送（1家）：勐腊县人民法院" in office and "逾期报送（1家）：景洪市人民法院" in office
    assert "逾期" in messenger.to("mengla")[0].text and messenger.to("jinghong") == []


def test_friday_alert_when_all_are_on_time_is_one_short_line(bot, clock, messenger):
    for unit in ("jinghong", "mengla"):
        add_report(bot, unit, "2026-W48", shanghai(2026, 11, 26, 9))
    tick(bot, clock, "friday_overdue", shanghai(2026, 11, 27, 12, 5))
    assert groups(messenger) == [("enforcement", ()), ("office", ())]
    assert messenger.to("office")[0].text == "【周报报送情况】第48周（11月23日—29日）各单位均已按时报送。"


def test_units_sharing_a_group_get_one_message_mentioning_all(db_url, messenger, clock):
    units = [
        {"id": "jinghong", "name": "景洪市人民法院", "members": ["jh1"], "group": "jinghong"},
        {"id": "menghai", "name": "勐海县人民法院", "members": ["mh1"], "group": "jinghong"},
    ]
    bot = build_bot(make_config(db_url, units=units), messenger=messenger, clock=clock, background=run_inline)
    tick(bot, clock, "thursday_reminder", shanghai(2026, 11, 26, 15, 0))
    assert groups(messenger) == [("jinghong", ("jh1", "mh1"))]
    assert "景洪市人民法院、勐海县人民法院" in messenger.sent[0].text


def test_a_holiday_friday_moves_deadline_reminder_and_alert(bot, clock, messenger):
    # 2026-W40: Thu Oct 1 and Fri Oct 2 are National Day holidays; Mon-Wed Sep 28-30 are workdays.
    reminder, overdue = job("thursday_reminder"), job("friday_overdue")
    monday = shanghai(2026, 9, 28, 0, 0)
    assert next_due(reminder, monday, bot.calendar) == shanghai(2026, 9, 29, 15, 0)
    assert next_due(overdue, monday, bot.calendar) == shanghai(2026, 9, 30, 12, 5)
    assert reminder.cadence.trigger(bot.config.schedule).get_next_fire_time(None, monday) == shanghai(2026, 9, 28, 15, 0)
    tick(bot, clock, "thursday_reminder", shanghai(2026, 9, 29, 15, 0))
    assert len(messenger.sent) == 2 and all("9月30日（周三）12:00" in s.text for s in messenger.sent)
    tick(bot, clock, "thursday_reminder", shanghai(2026, 10, 1, 15, 0))
    tick(bot, clock, "friday_overdue", shanghai(2026, 9, 30, 12, 5))
    assert len(messenger.sent) == 2 + 6  # the office's two texts and two workbooks, the two units' alerts


@pytest.mark.parametrize("exempt_weeks", [[], ["2026-W48"]])
def test_exempt_weeks_get_no_reminder_and_no_alert(db_url, messenger, clock, exempt_weeks):
    bot = other_bot(db_url, messenger, clock, exempt_weeks=exempt_weeks)
    week = "2026-W48" if exempt_weeks else "2026-W08"  # 2026-W08 (Feb 16-22, Spring Festival) has no workday
    thursday = shanghai(2026, 11, 26, 15) if exempt_weeks else shanghai(2026, 2, 19, 15)
    tick(bot, clock, "thursday_reminder", thursday)
    tick(bot, clock, "friday_overdue", thursday + timedelta(hours=21, minutes=5))
    assert messenger.sent == [] and week not in {period for _, period in runs(bot)}
    clock.set(thursday)
    assert service_for(bot, clock).run_now("thursday_reminder")[0].outcome == "exempt"
    assert next_due(job("thursday_reminder"), thursday - timedelta(days=3), bot.calendar) == thursday + timedelta(days=7)
    assert bot.calendar.plan(week).exempt


def test_nudge_runs_only_when_configured(db_url, messenger, clock, config):
    assert "friday_nudge" not in [j.name for j in enabled_jobs(config.schedule)]
    bot = other_bot(db_url, messenger, clock, nudge="fri 09:00")
    tick(bot, clock, "friday_nudge", shanghai(2026, 11, 27, 9, 0))
    assert groups(messenger) == [("jinghong", ("jh1", "jh2")), ("mengla", ("ml1",))]
    assert all(sent.text.startswith("【截止提醒】") for sent in messenger.sent)


def notice(bot, unit_id, event_at, theme):
    values = dict(theme=theme, event_at=event_at, channels=["执行直播", "微信公众号"], media="州电视台", liaison="李华 13800138000", lead_days=3,
                  meets_rule=True)
    with session_scope(bot.engine) as session:
        return create_notice(session=session, unit_id=unit_id, by="jh1", at=shanghai(2026, 11, 20, 9), values=values)


def test_digest_lists_events_of_today_and_the_next_two_days(bot, clock, messenger):
    notice(bot, "mengla", shanghai(2026, 11, 28, 23, 30), "夜间突击执行")
    notice(bot, "jinghong", shanghai(2026, 11, 26, 14, 0), "集中执行")
    notice(bot, "jinghong", shanghai(2026, 11, 29, 0, 0), "三天后")
    withdrawn = notice(bot, "jinghong", shanghai(2026, 11, 27, 9, 0), "已撤回")
    with session_scope(bot.engine) as session:
        withdraw_notice(session=session, notice=session.merge(withdrawn), by="jh1", at=shanghai(2026, 11, 21, 9))
    tick(bot, clock, "notice_digest", shanghai(2026, 11, 26, 9, 0))
    assert groups(messenger) == [("enforcement", ()), ("office", ())]
    lines = messenger.to("office")[0].text.splitlines()
    assert lines[0] == "【重点策划提醒】今明后三天有2项执行宣传活动："
    assert lines[1].startswith("1. 11月26日（周四）14:00 景洪市人民法院：集中执行（执行直播、微信公众号")
    assert lines[2].startswith("2. 11月28日（周六）23:30 勐腊县人民法院：夜间突击执行")


def test_digest_sends_nothing_when_there_are_no_events(bot, clock, messenger):
    result = tick(bot, clock, "notice_digest", shanghai(2026, 11, 26, 9, 0))
    assert (result.outcome, result.queued) == ("fired", 0) and messenger.sent == [] and outbox(bot) == []
