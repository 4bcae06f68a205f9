"""ISO weeks (Monday to Sunday) named like "2026-W48"."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta

_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)
_REACH_BEFORE = timedelta(weeks=1)  # from a Monday back to the previous week's
_REACH_AFTER = timedelta(days=13)  # from a Monday to the next week's Sunday


def week_of(day: date) -> str:
    """The ISO week a date belongs to."""
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def week_start(week: str) -> date:
    """The Monday of an ISO week; ValueError when `week` does not name one."""
    match = _WEEK.match(week)
    if not match:
        raise ValueError(f"not an ISO week: {week!r}")
    return date.fromisocalendar(int(match[1]), int(match[2]), 1)


def week_days(week: str) -> list[date]:
    """Monday to Sunday of an ISO week."""
    monday = week_start(week)
    return [monday + timedelta(days=i) for i in range(7)]


def shift_week(week: str, weeks: int) -> str:
    """The week `weeks` weeks after (or before, when negative) `week`."""
    return week_of(week_start(week) + timedelta(weeks=weeks))


def parse_week(text: str) -> str | None:
    """Normalise "2026-W48" / "2026w48"; None unless it is a real ISO week that can be planned (see `plannable`)."""
    match = _WEEK.match(unicodedata.normalize("NFKC", text).strip())  # ２０２６-W47 typed with a Chinese input method
    if not match:
        return None
    try:
        monday = date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        return None
    return f"{match[1]}-W{int(match[2]):02d}" if plannable(monday) else None


def plannable(monday: date) -> bool:
    """Whether the week of `monday` and the weeks either side fit in `date` (years 1-9999).

    A week's reads reach beyond it: its moments are converted to UTC, the export reads up to the
    next Monday, and 上周 or a job's catch-up looks at the week before.
    """
    return date.min + _REACH_BEFORE <= monday <= date.max - _REACH_AFTER


RELATIVE_WEEKS = {"本周": 0, "这周": 0, "上周": -1, "上上周": -2}
_NUMBERED = re.compile(r"^(?:(\d{4})年)?第(\d{1,2})周$")  # how labels name a week: 第47周, 2026年第47周


def week_from_words(text: str, this_week: str) -> str | None:
    """The week a user means: nothing or 本周 is `this_week`, 上周 the one before, or an ISO week; None if neither."""
    text = text.strip()
    if not text:
        return this_week
    if text in RELATIVE_WEEKS:
        return shift_week(this_week, RELATIVE_WEEKS[text])
    return _numbered_week(unicodedata.normalize("NFKC", text), this_week) or parse_week(text)


def names_a_week(text: str) -> bool:
    """Whether `text` is written the way a week is named (上周, 第47周, 2026年第47周, 2026-W47), whichever week it is."""
    return text in RELATIVE_WEEKS or bool(_NUMBERED.match(unicodedata.normalize("NFKC", text))) or parse_week(text) is not None


def _numbered_week(text: str, this_week: str) -> str | None:
    """第47周 as the labels write it: of the given year, else the latest week 47 not after this week."""
    match = _NUMBERED.match(text)
    if not match:
        return None
    year = int(match[1] or this_week[:4])
    week = parse_week(f"{year}-W{match[2]}")
    if match[1] is None and week is not None and week > this_week:
        week = parse_week(f"{year - 1}-W{match[2]}")
    return week


def local_week(now: datetime, tz) -> str:
    """The ISO week of an aware datetime, seen in the given timezone."""
    return week_of(now.astimezone(tz).date())
