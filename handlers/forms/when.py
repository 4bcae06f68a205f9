"""Event dates and times as staff type them: 2026-12-01 09:30, 12月1日 上午9:30, 12.3 9:00, 3号 9:30, 明早9点,
十二月三日上午九点, 后天上午, 下周三 9点, 周一 15:00 (the next Monday).

An event lies after now and at most a year ahead; a date typed without its year is never assumed to be
more than half a year away, and a period must agree with the hour (上午15点 is refused); 1–6点 without one is asked about.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from handlers.forms.fields import ANSWER_SLOT, Incomplete, Invalid, NeedMore, normalise
from reports.labels import dated_label, day_label

NEED_DATE = "请写明日期和时间，例如：12月1日 9:30、明天 14:00、下周三 上午。"
NEED_TIME = "已记下日期 {day}，请回复开始时间，例如：9:30 或 下午3点。"
BAD_TIME = "未能识别该时间，请这样写：9:30、14:00、下午3点、上午。"
BAD_DATE = "没有这一天，请检查日期。"
IN_PAST = "这个时间已经过去了，请填写活动的实际时间。"
ASK_YEAR = "{day}距今超过半年。如确是这一天，请写明年份，例如：{day} 9:30；否则请重新填写日期。"
TOO_FAR = "活动时间距今超过一年，请检查年份。预告只报送一年以内的活动。"
CONTRADICTION = "“{said}”前后矛盾，请只用一种写法，例如：15:00 或 下午3点。"
END_BEFORE_START = "结束时间要晚于开始时间，例如：12月3日 9:30-11:30、12月4日至5日。"
END_UNCLEAR = "结束时间请写明上午或下午，例如：9:00-15:00 或 上午9点至下午3点。"
ASK_HALF = "“{said}”是上午还是下午？请回复 上午 或 下午。"

YEARLESS_DAYS_AHEAD = 183  # half a year: further ahead, a date without its year is more often a slip than a plan
MAX_DAYS_AHEAD = 366  # a year, a leap day included

_FULL_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?")
_MONTH_DAY = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?|(?<![\d:])(\d{1,2})\s*[./-]\s*(\d{1,2})(?![\d:])")
_DAY_ONLY = re.compile(r"(?<![\d月])(\d{1,2})\s*[日号]")
_DATE_NUMERAL = re.compile(r"[零一二两三四五六七八九十]{1,3}(?=\s*[月日号])")
_RELATIVE = re.compile(r"(大后天|后天|明天|明日|今天|今日)")
_WEEKDAY = re.compile(r"(下下|下个?|本|这个?)?\s*(?:周|星期|礼拜)([一二三四五六日天1-7])")
_PERIOD = re.compile(r"(凌晨|早上|上午|中午|下午|傍晚|晚上|全天)")
_RANGE = re.compile(r"\s*(?:至|到|~|—|–|-(?=\s*(?:凌晨|早上|上午|中午|下午|傍晚|晚上)?\s*[\d一二两三四五六七八九十]{1,3}\s*[:点时日号月]))\s*")
_CLOCK = re.compile(r"(\d{1,2})\s*:\s*(\d{2})|([\d一二两三四五六七八九十]{1,3})\s*[点时]\s*(?:(\d{1,2})\s*分?|(半))?")

_ALIASES = {"明早": "明天早上", "明晚": "明天晚上", "今早": "今天早上", "今晚": "今天晚上"}
_RELATIVE_DAYS = {"今天": 0, "今日": 0, "明天": 1, "明日": 1, "后天": 2, "大后天": 3}
_WEEKDAY_INDEX = {c: i for i, c in enumerate("一二三四五六日")} | {"天": 6} | {str(i + 1): i for i in range(7)}
_WEEK_OFFSET = {None: 0, "本": 0, "这": 0, "这个": 0, "下": 1, "下个": 1, "下下": 2}
WHOLE_DAY = "全天"
_PART_END = {"凌晨": 6, "早上": 9, "上午": 12, "中午": 14, "下午": 18, "傍晚": 19, "晚上": 24, WHOLE_DAY: 24}  # hours: where each part ends
# The hours each period can name on a 24-hour clock; 24 is the midnight that ends the day.
_PERIOD_HOURS = {"凌晨": (0, 6), "早上": (4, 11), "上午": (0, 12), "中午": (10, 14), "下午": (12, 23), "傍晚": (16, 20), "晚上": (17, 24), WHOLE_DAY: (0, 24)}
_CHINESE_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def event_time(answer: str, now: datetime) -> dict:
    """An event after `now`, at most a year ahead: its start, its end if given, its part of day if only that is given.

    Times are ISO strings in now's zone. A part of day (后天上午, 全天) starts at the day's midnight and
    ends with the part, so nothing stored pretends to an hour the clerk did not give.
    """
    head, tail = (*_RANGE.split(_spelled_out(normalise(answer)), maxsplit=1), "")[:2]
    day, rest = _date_part(head, now.date())
    if day is None:
        raise Incomplete(NEED_DATE)
    try:
        start, part = _start(day, rest, now, bool(tail))
    except NeedMore as more:  # the range's end is kept: 12月3日 3点-5点, then 下午, is 15:00–17:00
        raise NeedMore(str(more), f"{more.partial} 至 {tail}" if tail else more.partial) from None
    end = _end(tail, day, _PERIOD.search(rest), now) if tail else _part_end(day, part, now)
    if end is not None and end <= start:
        raise Invalid(END_BEFORE_START)
    if (end if part else start) <= now:
        raise Invalid(IN_PAST)
    return {"start": start.isoformat(), "end": end and end.isoformat(), "part": part}


def event_span(value: str | dict) -> tuple[datetime, datetime | None, str | None]:
    """A stored answer as start, end and part of day; drafts saved before ranges hold a bare ISO moment."""
    if isinstance(value, str):
        return datetime.fromisoformat(value), None, None
    end = value.get("end")
    return datetime.fromisoformat(value["start"]), datetime.fromisoformat(end) if end else None, value.get("part")


def _start(day: date, rest: str, now: datetime, ranged: bool) -> tuple[datetime, str | None]:
    """The start on `day` and the part of day when only that is named; a range of whole days is 全天."""
    _check_ahead(day, now.date())
    try:
        clock = _time_part(rest)
    except Ambiguous as unclear:
        raise NeedMore(ASK_HALF.format(said=unclear.said), f"{day.isoformat()} {ANSWER_SLOT}{unclear.said}") from None
    if clock is None and not ranged:
        raise NeedMore(NEED_TIME.format(day=day_label(day, now.date())), day.isoformat())
    midnight = _midnight(day, now)
    return (midnight + clock, None) if isinstance(clock, timedelta) else (midnight, clock or WHOLE_DAY)


def _end(tail: str, first: date, period: re.Match | None, now: datetime) -> datetime:
    """The end a range names: a time on the first day, or a later day (its time, else its whole day)."""
    day, rest = _date_part(tail, first)
    day = day or first
    _check_ahead(day, now.date())
    if period and not _PERIOD.search(rest):
        rest = f"{period[1]}{rest}"  # 下午2点-4点: the end is in the afternoon too
    try:
        clock = _time_part(rest)
    except Ambiguous:
        raise Invalid(END_UNCLEAR) from None
    if isinstance(clock, timedelta):
        return _midnight(day, now) + clock
    return _part_end(day, clock or WHOLE_DAY, now)


def _part_end(day: date, part: str | None, now: datetime) -> datetime | None:
    return _midnight(day, now) + timedelta(hours=_PART_END[part]) if part else None


def _midnight(day: date, now: datetime) -> datetime:
    return datetime.combine(day, time(), tzinfo=now.tzinfo)


def _check_ahead(day: date, today: date) -> None:
    if (day - today).days > MAX_DAYS_AHEAD:
        raise Invalid(TOO_FAR)


def _date_part(text: str, today: date) -> tuple[date | None, str]:
    """The date named in `text` and what is left of the text after it."""
    patterns = ((_FULL_DATE, _full), (_MONTH_DAY, _month_day), (_DAY_ONLY, _day_only), (_RELATIVE, _relative), (_WEEKDAY, _weekday))
    for pattern, build in patterns:
        match = pattern.search(text)
        if match:
            return build(match, today), text[: match.start()] + " " + text[match.end():]
    return None, text


def _spelled_out(text: str) -> str:
    """明早 as 明天早上, and a date's Chinese numerals as digits (十二月三日 as 12月3日)."""
    for short, long in _ALIASES.items():
        text = text.replace(short, long)
    return _DATE_NUMERAL.sub(lambda match: str(_number(match[0])), text)


def _full(match: re.Match, today: date) -> date:
    return _checked_date(int(match[1]), int(match[2]), int(match[3]))


def _month_day(match: re.Match, today: date) -> date:
    """This year's date, or next year's when it lies months behind (typed in December for January).

    More than half a year ahead (9月20日 typed in November), the year is asked for rather than assumed.
    """
    month, number = (int(match[1]), int(match[2])) if match[1] else (int(match[3]), int(match[4]))
    day = _checked_date(today.year, month, number)
    if (today - day).days > 60:
        day = _checked_date(today.year + 1, month, number)
    if (day - today).days > YEARLESS_DAYS_AHEAD:
        raise Invalid(ASK_YEAR.format(day=dated_label(day)))
    return day


def _day_only(match: re.Match, today: date) -> date:
    """"3号": this month's day, or next month's when it has passed."""
    number = int(match[1])
    if number >= today.day:
        return _checked_date(today.year, today.month, number)
    following = today.replace(day=1) + timedelta(days=31)
    return _checked_date(following.year, following.month, number)


def _relative(match: re.Match, today: date) -> date:
    return today + timedelta(days=_RELATIVE_DAYS[match[1]])


def _weekday(match: re.Match, today: date) -> date:
    """本周一 is this week's even when past; a bare 周一 is the next Monday (today when it is one)."""
    monday = today - timedelta(days=today.weekday())
    day = monday + timedelta(weeks=_WEEK_OFFSET[match[1]], days=_WEEKDAY_INDEX[match[2]])
    return day + timedelta(weeks=1) if match[1] is None and day < today else day


def _checked_date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise Invalid(BAD_DATE) from None


def _time_part(rest: str) -> timedelta | str | None:
    """The time of day in what is left after the date, from the day's start; a part of day alone; None when nothing is given."""
    rest = _WEEKDAY.sub("", rest)  # "12月1日（周二）9:30": the weekday only repeats the date
    period = _PERIOD.search(rest)
    clock = _CLOCK.search(rest)
    leftover = _PERIOD.sub("", _CLOCK.sub("", rest)).strip(" ,()的")
    if leftover:
        raise Invalid(BAD_TIME)
    if clock is None:
        return period and period[1]
    hour, minute = _hour_minute(clock)
    if minute >= 60 or hour * 60 + minute > 24 * 60:  # 24:00 is the last moment of a day
        raise Invalid(BAD_TIME)
    if period:
        hour = _hour_in_period(hour, period[1], f"{period[1]}{clock[0].strip()}")
    elif clock[3] and 1 <= hour <= 6:  # "3点" alone is 15:00 as often as 03:00; "03:00" is a 24-hour clock
        raise Ambiguous(clock[0].strip())
    return timedelta(hours=hour, minutes=minute)


class Ambiguous(Exception):
    """An hour that may be morning or afternoon; the caller asks which, keeping the rest of the answer."""

    def __init__(self, said: str):
        super().__init__(said)
        self.said = said


def _hour_in_period(hour: int, period: str, said: str) -> int:
    """The hour "下午3点" means (15); a period the hour cannot fall in ("上午15点") is refused.

    An hour of 1–12 may be on a 12-hour clock, so twelve hours on and back are tried too. Hence
    晚上12点 is 24:00, the midnight that ends the evening, as it is meant in everyday speech (and 凌晨12点
    the one that starts the day): refusing it would re-ask a clear answer, and the summary shows the
    date it falls on (明天 晚上12点 → the day after's 00:00) before anything is stored.
    """
    low, high = _PERIOD_HOURS[period]
    readings = (hour, hour + 12, hour - 12) if 1 <= hour <= 12 else (hour,)
    for reading in readings:
        if low <= reading <= high:
            return reading
    raise Invalid(CONTRADICTION.format(said=said))


def _hour_minute(clock: re.Match) -> tuple[int, int]:
    if clock[1]:
        return int(clock[1]), int(clock[2])
    minute = 30 if clock[5] else int(clock[4] or 0)
    return _number(clock[3]), minute


def _number(token: str) -> int:
    """Digits or a Chinese numeral up to 二十四 (三, 十, 十一, 两)."""
    if token.isdigit():
        return int(token)
    if "十" in token:
        tens, _, ones = token.partition("十")
        return _CHINESE_DIGITS.get(tens, 1) * 10 + _CHINESE_DIGITS.get(ones, 0)
    if token in _CHINESE_DIGITS:
        return _CHINESE_DIGITS[token]
    raise Invalid(BAD_TIME)
