"""Stored tables. Timestamps are timezone-aware UTC on both SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Text, UniqueConstraint
from sqlalchemy.types import TypeDecorator
from sqlmodel import AutoString, Field, SQLModel


class UTCDateTime(TypeDecorator):
    """Stores aware datetimes as UTC; SQLite forgets the zone, so it is put back on load."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware one")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def _at(**kwargs: Any) -> Any:
    return Field(sa_column=Column(UTCDateTime, **kwargs))


def _json() -> Any:
    return Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class Unit(SQLModel, table=True):
    """A reporting court, synced from config."""

    id: str = Field(primary_key=True)
    name: str
    group_id: str
    active: bool = True


class MemberSource(StrEnum):
    """Where a membership comes from: the config file (synced at every start) or an admin's chat command."""

    CONFIG = "config"
    ADMIN = "admin"


class Membership(SQLModel, table=True):
    """Who reports for which unit."""

    user_id: str = Field(primary_key=True)
    unit_id: str = Field(foreign_key="unit.id", index=True)
    source: str = MemberSource.CONFIG


class NameSource(StrEnum):
    """Where a person's name comes from: the config file, an admin's 添加成员, or WeCom (asked again every week)."""

    CONFIG = "config"
    ADMIN = "admin"
    WECOM = "wecom"


class Person(SQLModel, table=True):
    """A WeCom user as people see them: a name (and a phone from config) shown in place of the userid."""

    user_id: str = Field(primary_key=True)
    name: str = ""  # "" until known: the userid is shown meanwhile
    phone: str = ""
    source: str = NameSource.WECOM
    asked_at: datetime | None = _at(nullable=True)  # when WeCom was last asked for the name
    answered: bool = False  # whether it answered then: asked again after a week if so, else after an hour
    in_wecom: bool | None = None  # whether WeCom's directory knows the userid; None: not asked yet (or no WeCom secret)


class Conversation(SQLModel, table=True):
    """A user's draft of one form (a weekly report and a notice may both be open), saved after every accepted answer."""

    user_id: str = Field(primary_key=True)
    form: str = Field(primary_key=True)
    state: dict = _json()
    updated_at: datetime = _at(nullable=False)
    turn: int = 0  # the user's count of saves when this draft was last saved: the highest is the draft in use


class ProcessedMessage(SQLModel, table=True):
    """Callback ids already handled, with the passive reply given: WeCom's retry gets the same answer, nothing is done twice."""

    key: str = Field(primary_key=True)
    handled_at: datetime = _at(nullable=False, index=True)
    reply: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class Report(SQLModel, table=True):
    """A unit's weekly report (附件1); the latest revision is the current one."""

    __table_args__ = (UniqueConstraint("unit_id", "week"),)
    id: int | None = Field(default=None, primary_key=True)
    unit_id: str = Field(foreign_key="unit.id", index=True)
    week: str = Field(index=True)
    current_revision: int = 1
    first_submitted_at: datetime = _at(nullable=False)
    on_time: bool = True


class ReportRevision(SQLModel, table=True):
    """One submission of a report; every revision is kept."""

    __table_args__ = (UniqueConstraint("report_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="report.id", index=True)
    number: int
    submitted_by: str
    submitted_at: datetime = _at(nullable=False)
    on_time: bool
    summary: str
    measures: str
    practices: str
    effects: str
    other: str = ""
    contact: str
    phone: str
    report_date: date
    via: str = "wecom"  # how it was sent: wecom (the app), wechat (the official account) or console (the terminal chat)


class Article(SQLModel, table=True):
    """A published piece (稿件) listed in a report revision."""

    id: int | None = Field(default=None, primary_key=True)
    revision_id: int = Field(foreign_key="reportrevision.id", index=True)
    position: int
    title: str
    url: str  # "" for a piece with no link (print, broadcast)
    channel: str
    place: str = ""  # where a piece without a link ran: 西双版纳报 11月24日 第3版


class ReportReturn(SQLModel, table=True):
    """An office admin sent a report revision back to be revised; open while that revision is still the current one."""

    __table_args__ = (UniqueConstraint("report_id", "revision"),)
    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="report.id", index=True)
    revision: int  # the number of the revision sent back
    returned_by: str
    returned_at: datetime = _at(nullable=False)
    reason: str = Field(sa_column=Column(Text, nullable=False))


class UnitChase(SQLModel, table=True):
    """The latest 催报 of a unit: a second one within the hour is not sent."""

    unit_id: str = Field(foreign_key="unit.id", primary_key=True)
    chased_by: str
    chased_at: datetime = _at(nullable=False)


class MaterialStatus(StrEnum):
    """A 素材's download: waiting (its WeCom MediaId kept), stored (its bytes here), or failed (the member was told)."""

    PENDING = "pending"
    STORED = "stored"
    FAILED = "failed"


class Material(SQLModel, table=True):
    """An image or video (素材) a member sent while filling in a weekly report; its bytes once downloaded."""

    id: int | None = Field(default=None, primary_key=True)
    unit_id: str = Field(foreign_key="unit.id", index=True)
    sent_by: str = Field(index=True)
    received_at: datetime = _at(nullable=False)
    kind: str  # image or video, as WeCom's MsgType
    media_id: str  # WeCom's id of the file, valid 3 days: kept until the bytes are
    status: MaterialStatus = Field(default=MaterialStatus.PENDING, sa_type=AutoString)
    filename: str = ""
    content_type: str = ""
    size: int = 0
    content: bytes | None = None


class RevisionMaterial(SQLModel, table=True):
    """The 素材 of a report revision, in the order they were sent; each revision keeps those of the one before."""

    revision_id: int = Field(foreign_key="reportrevision.id", primary_key=True)
    material_id: int = Field(foreign_key="material.id", primary_key=True, index=True)
    position: int


class Notice(SQLModel, table=True):
    """An event advance notice (附件2); holds the current content, history in NoticeRevision."""

    id: int | None = Field(default=None, primary_key=True)
    unit_id: str = Field(foreign_key="unit.id", index=True)
    created_by: str
    submitted_at: datetime = _at(nullable=False)
    event_at: datetime = _at(nullable=False, index=True)  # the start; a part of day starts at its day's midnight
    event_end: datetime | None = _at(nullable=True)  # exclusive, when a range or a part of day was given
    event_part: str | None = None  # 上午, 下午, 全天…: the event's time when no hour was given
    theme: str
    channels: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    media: str
    liaison: str
    other: str = ""
    lead_days: int
    meets_rule: bool
    withdrawn: bool = False
    updated_at: datetime = _at(nullable=False)


class NoticeRevision(SQLModel, table=True):
    """A snapshot of a notice each time it is created, modified or withdrawn."""

    id: int | None = Field(default=None, primary_key=True)
    notice_id: int = Field(foreign_key="notice.id", index=True)
    action: str
    by: str
    at: datetime = _at(nullable=False)
    snapshot: dict = _json()


class Follower(SQLModel, table=True):
    """A follower of the WeChat official account bound to a member: their openid stands for the member's userid."""

    openid: str = Field(primary_key=True)
    user_id: str = Field(unique=True)  # one WeChat per member: binding another replaces it
    bound_at: datetime = _at(nullable=False)
    unsubscribed_at: datetime | None = _at(nullable=True)  # they unfollowed the account: nothing reaches them there


class BindCode(SQLModel, table=True):
    """A code an admin issued for a member to bind their WeChat: 6 digits, valid 24 hours, deleted once used."""

    code: str = Field(primary_key=True)
    user_id: str = Field(index=True)
    issued_by: str
    issued_at: datetime = _at(nullable=False)


class BindFailure(SQLModel, table=True):
    """Wrong codes one follower sent since `since`: after a few they wait an hour, so codes cannot be guessed."""

    openid: str = Field(primary_key=True)
    failures: int
    since: datetime = _at(nullable=False)


class Kind(StrEnum):
    """What an outbox row is: a text to a group (robot or app chat) or to users by app message, or a file to one user or a group;
    a text or a template message to a follower of the WeChat official account."""

    GROUP = "group"
    USERS = "users"
    FILE = "file"
    GROUP_FILE = "group_file"
    FOLLOWER = "follower"  # a customer-service text to a follower of the WeChat official account (its openid)
    TEMPLATE = "template"  # the reminders' template message to a follower: its text the values, as JSON


class Status(StrEnum):
    """An outbox row's life: pending, claimed by a sender (sending), then sent or failed for good."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(SQLModel, table=True):
    """A push waiting to be delivered, exactly once per idempotency key."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)
    kind: Kind = Field(sa_type=AutoString)  # stored as its plain value, like status: no enum type in the database
    target: str
    text: str  # for a user's file: what they are told instead if it cannot be delivered; empty for a group's file
    mention: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    filename: str = ""
    content: bytes | None = None  # a file's bytes, dropped once it is sent (or a user's file given up): a workbook is megabytes
    status: Status = Field(default=Status.PENDING, index=True, sa_type=AutoString)
    attempts: int = 0
    parts_sent: int = 0  # a long text goes as several WeCom messages: a retry resumes after the last one sent
    in_doubt: bool = False  # the next part's last try got no answer: WeCom may have it, so its resend is marked
    last_error: str = ""
    created_at: datetime = _at(nullable=False)
    next_attempt_at: datetime = _at(nullable=False)
    sent_at: datetime | None = _at(nullable=True, index=True)  # when its latest part went out; indexed for pacing, which reads the last hour


class JobRun(SQLModel, table=True):
    """A scheduled job's run for one period; the row that wins the insert decides who fires."""

    job: str = Field(primary_key=True)
    period: str = Field(primary_key=True)
    fired_at: datetime = _at(nullable=False)
    outcome: str = "fired"  # scheduler.runs.Outcome: fired, manual or missed


class SchedulerLease(SQLModel, table=True):
    """Held by the one scheduler allowed to fire jobs."""

    name: str = Field(primary_key=True)
    holder: str
    expires_at: datetime = _at(nullable=False)


class SharedSecret(SQLModel, table=True):
    """A random secret made once by whichever process needs it first and shared by all (the console's signing key)."""

    name: str = Field(primary_key=True)
    value: str


class ConsoleLogin(SQLModel, table=True):
    """A one-time console link sent by `控制台`: bound to its user, valid until `expires_at`, spent at `used_at`."""

    id: str = Field(primary_key=True)  # random; the link carries it with its signature
    user_id: str
    expires_at: datetime = _at(nullable=False, index=True)
    used_at: datetime | None = _at(nullable=True)


class ConsoleSession(SQLModel, table=True):
    """A signed-in browser: the cookie holds a random value, stored here only as its SHA-256 (a read of this table signs nobody in)."""

    id: str = Field(primary_key=True)  # hex SHA-256 of the cookie's value
    user_id: str
    csrf: str  # what every form of this session posts back
    expires_at: datetime = _at(nullable=False, index=True)
