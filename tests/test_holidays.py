"""The workday calendar beyond chinese_calendar's data: the built-in fallback, and `jobs list` saying it is used."""

from __future__ import annotations

from datetime import date

from common.deadlines import ReportingCalendar
from common.holidays import is_fallback, is_workday
from tests.support.config import make_config, shanghai
from tests.support.live_server import run_bot, write_config


def calendar() -> ReportingCalendar:
    return ReportingCalendar(make_config("sqlite://").schedule)


def test_official_years_are_not_estimated():
    assert not is_fallback(2026) and is_fallback(2040)
    assert not is_workday(date(2026, 10, 1)) and is_workday(date(2026, 9, 30))


def test_fixed_date_holidays_are_kept_free_beyond_the_data():
    assert not any(is_workday(date(2040, 10, d)) for d in range(1, 8))
    assert not is_workday(date(2043, 1, 1)) and is_workday(date(2043, 1, 2))
    assert is_workday(date(2040, 10, 8))


def test_the_spring_festival_week_is_free_by_the_table():
    assert not any(is_workday(date(2040, 2, d)) for d in range(11, 18))  # 除夕 Feb 11 to 初六 Feb 17
    assert is_workday(date(2040, 2, 10)) and is_workday(date(2040, 2, 20))
    assert calendar().plan("2040-W07").exempt


def test_the_national_day_weeks_deadline_moves_to_the_last_workday_before_it():
    assert calendar().deadline("2042-W40") == shanghai(2042, 9, 30, 12, 0)  # Oct 1 is a Wednesday
    assert calendar().deadline("2042-W41") == shanghai(2042, 10, 10, 12, 0)
    assert calendar().plan("2040-W40").exempt  # Oct 1-7 is Monday to Sunday


def test_one_workday_after_a_return_skips_weekends_and_holidays():
    assert calendar().one_workday_after(shanghai(2026, 11, 27, 15)) == shanghai(2026, 11, 30, 15)  # Friday -> Monday
    assert calendar().one_workday_after(shanghai(2026, 11, 28, 9)) == shanghai(2026, 11, 30, 9)  # returned on a Saturday
    assert calendar().one_workday_after(shanghai(2026, 9, 30, 15)) == shanghai(2026, 10, 8, 15)  # over National Day


def test_jobs_list_says_when_a_year_is_estimated(tmp_path):
    config = str(write_config(tmp_path, db_url=f"sqlite:///{tmp_path}/bot.db"))
    estimated = run_bot("--config", config, "jobs", "list", "--at", "2042-09-29T08:00", cwd=tmp_path)
    assert estimated.returncode == 0, estimated.stderr
    lines = estimated.stdout.splitlines()
    assert "friday_overdue     fri 12:05    2042-09-30 12:05 Tue" in lines
    assert lines[-1].startswith("2042 年节假日尚未公布，按内置规则估算")
    official = run_bot("--config", config, "jobs", "list", "--at", "2026-09-28T08:00", cwd=tmp_path)
    assert "尚未公布" not in official.stdout
