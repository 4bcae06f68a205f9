"""Event dates and times as staff type them: 2026-12-01 09:30, 12月1日 上午9:30, 明天 14:00, 后天上午, 下周三 9点.

An event lies after now and at most a year ahead; a date typed without its year is never assumed to be
more than half a year away, and a period must agree with the hour (上午15点 is refused).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from handlers.forms.fields import Incomplete, Invalid, NeedMore, normalise
from reports.labels import dated_label, day_label

NEED_DATE = "请写明日期和时间，例如：12月1日 9:30、明天 14:00、下周三 上午。"
NEED_TIME = "已记下日期 {day}，请回复开始时间，例如：9:30 或 下午3点。"
BAD_TIME = "未能识别该时间，请这样写：9:30、14:00、下午3点、上午。"
BAD_DATE = "没有这一天，请检查日期。"
IN_PAST = "这个时间已经过去了，请填写活动的实际时间。"
ASK_YEAR = "{day}距今超过半年。如确是这一天，请写明年份，例如：{day} 9:30；否则请重新填写日期。"
TOO_FAR = "活动时间距今超过一年，请检查年份。预告只报送一年以内的活动。"
CONTRADICTION = "“{said}”前后矛盾，请只用一种写法，例如：15:00 或 下午3点。"

YEARLESS_DAYS_AHEAD = 183  # half a year: further ahead, a date without its year is more often a slip than a plan
MAX_DAYS_AHEAD = 366  # a year, a leap day included

_FULL_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?")
_MONTH_DAY = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?")
_RELATIVE = re.compile(r"(大后天|后天|明天|明日|今天|今日)")
_WEEKDAY = re.compile(r"(下下|下个?|本|这个?)?\s*(?:周|星期|礼拜)([一二三四五六日天1-7])")
_PERIOD = re.compile(r"(凌晨|早上|上午|中午|下午|傍晚|晚上)")
_CLOCK = re.compile(r"(\d{1,2})\s*:\s*(\d{2})|([\d一二两三四五六七八九十]{1,3})\s*[点时]\s*(?:(\d{1,2})\s*分?|(半))?")

_RELATIVE_DAYS = {"今天": 0, "今日": 0, "明天": 1, "明日": 1, "后天": 2, "大后天": 3}
_WEEKDAY_INDEX = {c: i for i, c in enumerate("一二三四五六日")} | {"天": 6} | {str(i + 1): i for i in range(7)}
_WEEK_OFFSET = {None: 0, "本": 0, "这": 0, "这个": 0, "下": 1, "下个": 1, "下下": 2}
_PERIOD_DEFAULT = {"凌晨": 6, "早上": 8, "上午": 9, "中午": 12, "下午": 15, "傍晚": 18, "晚上": 19}
# The hours each period can name on a 24-hour clock; 24 is the midnight that ends the day.
_PERIOD_HOURS = {"凌晨": (0, 6), "早上": (4, 11), "上午": (0, 12), "中午": (10, 14), "下午": (12, 23), "傍晚": (16, 20), "晚上": (17, 24)}
_CHINESE_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def event_time(answer: str, now: datetime) -> str:
    """An event moment after `now` and at most a year ahead (local, aware), as an ISO string in now's zone."""
    text = normalise(answer)
    day, rest = _date_part(text, now.date())
    if day is None:
        raise Incomplete(NEED_DATE)
    if (day - now.date()).days > MAX_DAYS_AHEAD:
        raise Invalid(TOO_FAR)
    offset = _time_part(rest)
    if offset is None:
        raise NeedMore(NEED_TIME.format(day=day_label(day, now.date())), day.isoformat())
    moment = datetime.combine(day, time(), tzinfo=now.tzinfo) + offset
    if moment <= now:
        raise Invalid(IN_PAST)
    return moment.isoformat()


def _date_part(text: str, today: date) -> tuple[date | None, str]:
    """The date named in `text` and what is left of the text after it."""
    for pattern, build in ((_FULL_DATE, _full), (_MONTH_DAY, _month_day), (_RELATIVE, _relative), (_WEEKDAY, _weekday)):
        match = pattern.search(text)
        if match:
            return build(match, today), text[: match.start()] + " " + text[match.end():]
    return None, text


def _full(match: re.Match, today: date) -> date:
    return _checked_date(int(match[1]), int(match[2]), int(match[3]))


def _month_day(match: re.Match, today: date) -> date:
    """This year's date, or next year's when it lies months behind (typed in December for January).

    More than half a year ahead (9月20日 typed in November), the year is asked for rather than assumed.
    """
    day = _checked_date(today.year, int(match[1]), int(match[2]))
    if (today - day).days > 60:
        day = _checked_date(today.year + 1, int(match[1]), int(match[2]))
    if (day - today).days > YEARLESS_DAYS_AHEAD:
        raise Invalid(ASK_YEAR.format(day=dated_label(day)))
    return day


def _relative(match: re.Match, today: date) -> date:
    return today + timedelta(days=_RELATIVE_DAYS[match[1]])


def _weekday(match: re.Match, today: date) -> date:
    monday = today - timedelta(days=today.weekday())
    return monday + timedelta(weeks=_WEEK_OFFSET[match[1]], days=_WEEKDAY_INDEX[match[2]])


def _checked_date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise Invalid(BAD_DATE) from None


def _time_part(rest: str) -> timedelta | None:
    """The time of day in what is left after the date, from the day's start; None when nothing is given."""
    rest = _WEEKDAY.sub("", rest)  # "12月1日（周二）9:30": the weekday only repeats the date
    period = _PERIOD.search(rest)
    clock = _CLOCK.search(rest)
    leftover = _PERIOD.sub("", _CLOCK.sub("", rest)).strip(" ,()的")
    if leftover:
        raise Invalid(BAD_TIME)
    if clock is None:
        return timedelta(hours=_PERIOD_DEFAULT[period[1]]) if period else None
    hour, minute = _hour_minute(clock)
    if minute >= 60 or hour * 60 + minute > 24 * 60:  # 24:00 is the last moment of a day
        raise Invalid(BAD_TIME)
    if period:
        hour = _hour_in_period(hour, period[1], f"{period[1]}{clock[0].strip()}")
    return timedelta(hours=hour, minutes=minute)


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
