"""Weeks at the ends of the calendar (9999-W52, 0001-W01): refused with a clear answer, never an OverflowError."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from common.weeks import parse_week, shift_week, week_days
from tests.support.config import EXAMPLE, SHANGHAI
from tests.support.live_server import run_bot

BAD_WEEK_ASK = "未能识别周次“{week}”。请写“上周”“第47周”或“2026-W47”这样的周次。"


@pytest.mark.parametrize("week", ["9999-W52", "9999-W51", "0001-W01"])
@pytest.mark.parametrize("command", ["状态", "导出"])
def test_weeks_at_the_ends_of_the_calendar_are_asked_again(wecom, command, week):
    assert wecom.say("admin1", f"{command} {week}") == BAD_WEEK_ASK.format(week=week)


def test_a_unit_lookup_with_a_week_beyond_the_calendar_does_not_fail(wecom):
    assert "系统出错" not in wecom.say("admin1", "查询 景洪 9999-W52")


def test_the_last_plannable_week_still_answers(wecom):
    assert wecom.say("admin1", "状态 9999-W50").startswith("第50周（12月13日—19日）报送情况")


@given(st.integers(min_value=1, max_value=9999), st.integers(min_value=1, max_value=53))
def test_every_accepted_week_can_be_planned_read_and_shifted(year, number):
    week = parse_week(f"{year:04d}-W{number:02d}")
    if week is None:
        return
    days = week_days(week)
    start = datetime.combine(days[0], time(0), tzinfo=SHANGHAI)
    assert start.astimezone(UTC) < (start + timedelta(days=7)).astimezone(UTC)  # the export's range, as stored
    assert len(week_days(shift_week(week, 1))) == len(week_days(shift_week(week, -1))) == 7


def test_export_of_a_week_beyond_the_calendar_is_one_line_exit_2(tmp_path):
    result = run_bot("--config", str(EXAMPLE), "export", "--week", "9999-W52", "--out", "x.xlsx", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "9999-W52" in result.stderr
    assert not (tmp_path / "x.xlsx").exists()


@pytest.mark.parametrize("action", [["run", "thursday_reminder"], ["list"]])
@pytest.mark.parametrize("moment", ["9999-12-30T15:00", "0001-01-02T15:00"])
def test_jobs_at_a_moment_beyond_the_calendar_is_one_line_exit_2(tmp_path, action, moment):
    result = run_bot("--config", str(EXAMPLE), "jobs", *action, "--at", moment, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().count("\n") == 0 and moment in result.stderr


def test_jobs_list_near_the_end_of_the_calendar_shows_what_it_can(tmp_path):
    result = run_bot("--config", str(EXAMPLE), "jobs", "list", "--at", "9999-12-13T08:00", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "thursday_reminder  thu 15:00    9999-12-16 15:00 Thu" in result.stdout
