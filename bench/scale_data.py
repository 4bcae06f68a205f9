"""A deterministic province-to-country sized dataset for `bench.scale`: units in the config, a year of reports and notices bulk-inserted.

Reports and notices go in with Core `insert(table)` and lists of rows, one week at a time, in one transaction:
the same rows `save_report` and `create_notice` would store, without 180k ORM round trips.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import Engine, insert
from sqlmodel import SQLModel

from common.channels import ARTICLE_CHANNELS, NOTICE_CHANNELS
from common.config import Config
from common.deadlines import ReportingCalendar
from common.weeks import shift_week, week_days
from storage.models import Article, Notice, NoticeRevision, Report, ReportRevision
from tests.support.config import BASE_CONFIG, make_config

MISSING_SHARE, LATE_SHARE, REVISED_SHARE, WITHDRAWN_SHARE = 0.06, 0.08, 0.10, 0.03
PHRASES = (
    "本周集中开展涉民生案件专项执行行动，",
    "通过微信公众号发布执行悬赏公告，",
    "邀请人大代表、政协委员见证执行现场，",
    "对失信被执行人开展联合惩戒，",
    "在辖区集市设立执行宣传点发放资料，",
    "执行干警深入村寨开展以案释法，",
    "执结一批拖欠农民工工资案件，",
    "与电视台合作录制执行专题节目。",
)


@dataclass(frozen=True)
class Sizes:
    units: int = 3500
    weeks: int = 52
    notices: int = 10000
    last_week: str = "2026-W48"

    @property
    def week_list(self) -> list[str]:
        return [shift_week(self.last_week, -i) for i in reversed(range(self.weeks))]


def bench_config(db_url: str, sizes: Sizes, rng: random.Random) -> Config:
    """The test config with `sizes.units` units, each with 1-2 members and its own group robot."""
    units = [
        {"id": f"u{i:04d}", "name": f"第{i}基层人民法院", "members": [f"u{i:04d}m{j}" for j in range(rng.randint(1, 2))], "group": f"g{i:04d}"}
        for i in range(sizes.units)
    ]
    groups = [{"id": u["group"], "webhook_url": f"http://127.0.0.1:9/cgi-bin/webhook/send?key={u['group']}"} for u in units]
    return make_config(db_url, units=units, groups=BASE_CONFIG["groups"] + groups)


class HistoryWriter:
    """Generates and inserts the rows; ids are assigned here so revisions and articles can point at them."""

    def __init__(self, config: Config, calendar: ReportingCalendar, rng: random.Random):
        self.units = config.units
        self.calendar, self.tz, self.rng = calendar, config.schedule.tz, rng
        self.report_id = self.revision_id = 0
        self.counts = {"reports": 0, "revisions": 0, "articles": 0, "notices": 0}

    def load(self, engine: Engine, sizes: Sizes) -> dict[str, int]:
        """Insert every week's reports and the notices in one transaction; returns the row counts."""
        with engine.begin() as connection:
            for week in sizes.week_list:
                reports, revisions, articles = self.week_rows(week)
                self._insert(connection, Report, reports)
                self._insert(connection, ReportRevision, revisions)
                self._insert(connection, Article, articles)
            notices, snapshots = self.notice_rows(sizes)
            self._insert(connection, Notice, notices)
            self._insert(connection, NoticeRevision, snapshots)
        self.counts["notices"] = len(notices)
        return self.counts

    def week_rows(self, week: str) -> tuple[list[dict], list[dict], list[dict]]:
        reports, revisions, articles = [], [], []
        deadline = self.calendar.deadline(week) or datetime.combine(week_days(week)[4], time(12), tzinfo=self.tz)
        for unit in self.units:
            if self.rng.random() < MISSING_SHARE:
                continue
            self.report_id += 1
            times = self._submission_times(deadline)
            for number, at in enumerate(times, start=1):
                self.revision_id += 1
                revisions.append(self._revision(number, at, on_time=at <= deadline, by=unit.members[0].id))
                articles += self._articles(unit.name)
            reports.append(dict(id=self.report_id, unit_id=unit.id, week=week, current_revision=len(times), first_submitted_at=times[0],
                                on_time=times[0] <= deadline))
        self._count(reports=len(reports), revisions=len(revisions), articles=len(articles))
        return reports, revisions, articles

    def notice_rows(self, sizes: Sizes) -> tuple[list[dict], list[dict]]:
        """Notices spread over the weeks, mostly announced 2-20 days ahead; each with its "created" snapshot."""
        first = datetime.combine(week_days(sizes.week_list[0])[0], time(9), tzinfo=self.tz)
        notices, snapshots = [], []
        for notice_id in range(1, sizes.notices + 1):
            at = first + timedelta(minutes=self.rng.randrange(sizes.weeks * 7 * 24 * 60))
            lead = self.rng.choice((0, 1, 2, 3, 5, 7, 14, 20))
            values = dict(theme=self._text(1), event_at=at + timedelta(days=lead), channels=self.rng.sample(NOTICE_CHANNELS, 2), media="州电视台",
                          liaison="李华 13800138000", other="", lead_days=lead, meets_rule=lead >= 2)
            unit = self.rng.choice(self.units)
            notices.append(dict(id=notice_id, unit_id=unit.id, created_by=unit.members[0].id, submitted_at=at, updated_at=at,
                                withdrawn=self.rng.random() < WITHDRAWN_SHARE, **values))
            snapshots.append(dict(notice_id=notice_id, action="created", by=unit.members[0].id, at=at, snapshot={**values,
                                                                                                              "event_at": values["event_at"].isoformat()}))
        return notices, snapshots

    def _submission_times(self, deadline: datetime) -> list[datetime]:
        """One or two submissions: on time within the 4 days before the deadline, or late by up to 3 days."""
        if self.rng.random() < LATE_SHARE:
            first = deadline + timedelta(minutes=self.rng.randint(1, 3 * 24 * 60))
        else:
            first = deadline - timedelta(minutes=self.rng.randint(1, 4 * 24 * 60))
        if self.rng.random() < REVISED_SHARE:
            return [first, first + timedelta(minutes=self.rng.randint(5, 600))]
        return [first]

    def _revision(self, number: int, at: datetime, *, on_time: bool, by: str) -> dict:
        return dict(id=self.revision_id, report_id=self.report_id, number=number, submitted_by=by, submitted_at=at, on_time=on_time,
                    summary=self._text(6), measures=self._text(4), practices=self._text(4), effects=self._text(3), other="",
                    contact="李华", phone="13800138000", report_date=at.astimezone(self.tz).date())

    def _articles(self, unit_name: str) -> Iterator[dict]:
        for position in range(1, self.rng.randint(0, 3) + 1):
            yield dict(revision_id=self.revision_id, position=position, title=f"{unit_name}执行宣传稿件{self.revision_id}-{position}",
                       url=f"https://example.com/{self.revision_id}/{position}", channel=self.rng.choice(ARTICLE_CHANNELS))

    def _text(self, phrases: int) -> str:
        return "".join(self.rng.choice(PHRASES) for _ in range(phrases))

    def _count(self, **added: int) -> None:
        for name, n in added.items():
            self.counts[name] += n

    @staticmethod
    def _insert(connection, model, rows: list[dict]) -> None:
        if rows:
            connection.execute(insert(model.__table__), rows)


def settle(engine: Engine) -> None:
    """PostgreSQL: VACUUM ANALYZE the tables, as autovacuum would have long before a real year of data is queried."""
    tables = ", ".join(table.name for table in SQLModel.metadata.sorted_tables)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql(f"VACUUM ANALYZE {tables}")
