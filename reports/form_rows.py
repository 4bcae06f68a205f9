"""附件1 and 附件2 filled in from one week's data: the rows both the workbook and the Word document print."""

from __future__ import annotations

import re
from datetime import datetime

from common.weeks import week_days
from reports.attachments import ARTICLE_COLUMNS, CONTACT, DATE, NOTICE_COLUMNS, PHONE, PLACE, REPORT_TEXT_FIELDS, UNIT
from reports.labels import dated_week_label
from reports.notices import when
from reports.week import WeekData
from storage.models import Article, Notice
from storage.reports import SavedReport

LABEL = "{label}："
ARTICLES_LABEL = "稿件"
ARTICLE_LABEL = "稿件{position}："
ARTICLE_TYPE = ARTICLE_COLUMNS[2] + "：{channel}"
PLACE_TEXT = PLACE + "：{place}"
NO_ARTICLES = "无"
NOTICE_SUBTITLE = "{week}：本周举行或本周报送的活动"
LEAD_COLUMN = "是否提前{days}天"
YES, NO = "是", "否"
LEAD_VALUE = "{answer}（提前{days}天）"

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # neither XML file may hold them

Line = tuple[str, str]  # (label, text) of one 附件1 row


def report_head(saved: SavedReport, unit_name: str) -> list[Line]:
    """单位 and the five texts, labelled as on 附件1."""
    revision = saved.revision
    texts = [(UNIT, unit_name)] + [(label, getattr(revision, key)) for key, label in REPORT_TEXT_FIELDS]
    return [(LABEL.format(label=label), text) for label, text in texts]


def report_tail(saved: SavedReport) -> list[Line]:
    """联系人, 联系电话 and 日期, labelled as on 附件1."""
    revision = saved.revision
    texts = ((CONTACT, revision.contact), (PHONE, revision.phone), (DATE, revision.report_date.isoformat()))
    return [(LABEL.format(label=label), text) for label, text in texts]


def article_line(article: Article) -> Line:
    """One 稿件 in the two-column form: its title, link (or where it ran) and type read down the content column."""
    lines = (article.title, article_where(article), ARTICLE_TYPE.format(channel=article.channel))
    return ARTICLE_LABEL.format(position=article.position), "\n".join(filter(None, lines))


def article_where(article: Article) -> str:
    """Where a 稿件 can be found: its link, else where it ran (刊播位置：西双版纳报 11月24日 第3版), else nothing."""
    return article.url or (PLACE_TEXT.format(place=article.place) if article.place else "")


def two_column_report(saved: SavedReport, unit_name: str) -> list[Line]:
    """The whole report as label | content rows, the way the plan's 附件1 is printed."""
    articles = [article_line(a) for a in saved.articles] or [(LABEL.format(label=ARTICLES_LABEL), NO_ARTICLES)]
    return report_head(saved, unit_name) + articles + report_tail(saved)


def notice_columns(data: WeekData) -> tuple[str, ...]:
    """附件2's columns plus whether each notice met the week's lead-time rule."""
    return (*NOTICE_COLUMNS, LEAD_COLUMN.format(days=data.advance_days))


def notice_values(notice: Notice, data: WeekData) -> tuple:
    """One notice in `notice_columns` order; 宣传时间 as a local datetime, or as text for a range or a part of day."""
    lead = LEAD_VALUE.format(answer=YES if notice.meets_rule else NO, days=notice.lead_days)
    held = when(notice, data.tz, today=week_days(data.week)[0]) if notice.event_end else local_time(notice.event_at, data.tz)
    return (data.names.get(notice.unit_id, notice.unit_id), notice.theme, held,
            "、".join(notice.channels), notice.media, notice.liaison, notice.other, lead)


def notice_subtitle(data: WeekData) -> str:
    return NOTICE_SUBTITLE.format(week=dated_week_label(data.week))


def printable(text: str) -> str:
    """The text without the control characters Excel and Word refuse (tab and line breaks stay)."""
    return CONTROL_CHARACTERS.sub("", text)


def local_time(moment: datetime, tz) -> datetime:
    """Neither file has time zones: a naive local time."""
    return moment.astimezone(tz).replace(tzinfo=None)
