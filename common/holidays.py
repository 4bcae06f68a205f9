"""China's workdays: chinese_calendar's official data, and a small fallback for the years it does not know yet.

The State Council publishes each year's holidays around November of the year before, and
chinese_calendar raises NotImplementedError beyond its last year. Rather than plain Monday to Friday,
the fallback keeps 元旦 (Jan 1), the Spring Festival week and National Day (Oct 1-7) free, so a
deadline never lands on them; make-up workdays cannot be guessed and are left out.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from functools import cache

import chinese_calendar

log = logging.getLogger(__name__)

# 正月初一 by year, from the published lunar calendar: no lunar library is installed, and a table is
# easy to check against any almanac. Beyond it only the fixed-date holidays are kept.
SPRING_FESTIVAL = {
    2027: date(2027, 2, 6), 2028: date(2028, 1, 26), 2029: date(2029, 2, 13), 2030: date(2030, 2, 3),
    2031: date(2031, 1, 23), 2032: date(2032, 2, 11), 2033: date(2033, 1, 31), 2034: date(2034, 2, 19),
    2035: date(2035, 2, 8), 2036: date(2036, 1, 28), 2037: date(2037, 2, 15), 2038: date(2038, 2, 4),
    2039: date(2039, 1, 24), 2040: date(2040, 2, 12), 2041: date(2041, 2, 1), 2042: date(2042, 1, 22),
    2043: date(2043, 2, 10), 2044: date(2044, 1, 30), 2045: date(2045, 2, 17), 2046: date(2046, 2, 6),
    2047: date(2047, 1, 26), 2048: date(2048, 2, 14), 2049: date(2049, 2, 2), 2050: date(2050, 1, 23),
}
SPRING_FESTIVAL_DAYS = 7  # 除夕 to 初六, the usual length of the Spring Festival break


def is_workday(day: date) -> bool:
    """China's official workday calendar; the fallback's for years the package does not know yet."""
    if is_fallback(day.year):
        return day.weekday() < 5 and day not in fallback_holidays(day.year)
    return chinese_calendar.is_workday(day)


@cache
def is_fallback(year: int) -> bool:
    """Whether `year`'s workdays are estimated by the fallback (chinese_calendar has no data for it)."""
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        log.warning("chinese_calendar has no data for %s: estimating 元旦, 春节 and 国庆 holidays", year)
        return True
    return False


@cache
def fallback_holidays(year: int) -> frozenset[date]:
    """元旦, National Day (Oct 1-7) and, when the table knows the year, the Spring Festival week."""
    days = {date(year, 1, 1), *(date(year, 10, d) for d in range(1, 8))}
    new_year = SPRING_FESTIVAL.get(year)
    if new_year is not None:
        eve = new_year - timedelta(days=1)
        days.update(eve + timedelta(days=i) for i in range(SPRING_FESTIVAL_DAYS))
    return frozenset(days)
