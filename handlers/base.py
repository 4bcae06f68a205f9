"""The types every handler shares: an incoming message, a reply, and the context passed in."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from common.clock import Clock
from common.config import Config
from common.deadlines import ReportingCalendar
from common.media import MediaSource
from common.via import WECHAT, WECOM
from common.weeks import local_week, shift_week, week_from_words
from reports.unitmatch import find_unit
from storage.outbox import Kind, Push, push_key, queue
from storage.people import PersonRef, people_to_show
from storage.units import UnitRef

BAD_WEEK = "未能识别周次“{text}”。请写“上周”“第47周”或“2026-W47”这样的周次。"
_KEPT_CONTROLS = "\t\n"
_DROPPED_CATEGORIES = ("Cc", "Cf")  # control characters; invisible format characters (zero-width, BOM, bidi)
MEDIA_KINDS = ("image", "video")  # what a member may attach to a form as 素材 (WeCom sends apps no files: doc 90239)
SHARED_KINDS = ("link", *MEDIA_KINDS)  # messages that carry something to keep rather than words to read


def clean_text(text: str) -> str:
    """A user's text without control or invisible format characters, trimmed.

    PostgreSQL refuses NUL; a lone zero-width space would pass for a required answer, and a
    right-to-left override would show the office another text than the one stored.
    """
    return "".join(c for c in text if c in _KEPT_CONTROLS or unicodedata.category(c) not in _DROPPED_CATEGORIES).strip()


@dataclass(frozen=True)
class Incoming:
    """A user's message, converted at the edge from WeCom XML or a terminal line."""

    user_id: str
    text: str = ""
    kind: str = "text"  # text, image, voice, video, location, link, event
    key: str = ""  # dedupe key: MsgId, or FromUserName + CreateTime for events
    event: str = ""  # for kind "event", WeCom's Event lowercased: subscribe, enter_agent, click...
    title: str = ""  # for kind "link": the shared article's title and address
    url: str = ""
    media_id: str = ""  # for kinds "image" and "video": the id of the file at WeCom (or WeChat), to download within 3 days
    via: str = WECOM  # the way it came: common.via
    openid: str = ""  # for via WECHAT: the follower who sent it, answered later by customer-service message

    @property
    def keyword(self) -> str:
        """The first word ("查询" in "查询 景洪"); "" for blank text."""
        parts = self.text.split(maxsplit=1)
        return parts[0] if parts else ""

    @property
    def args(self) -> str:
        parts = self.text.split(maxsplit=1)
        return parts[1].strip() if len(parts) > 1 else ""


@dataclass(frozen=True)
class Reply:
    text: str


def to_sender(msg: Incoming, key: str, text: str) -> Push:
    """A message to the sender of `msg` after its passive reply: a customer-service message on WeChat, else a WeCom app message."""
    if msg.via == WECHAT:
        return Push(key, Kind.FOLLOWER, msg.openid, text)
    return Push(key, Kind.USERS, msg.user_id, text)


class Refusal(Exception):
    """A request the bot declines, carrying the reply that says why; the dispatcher answers it, once, for every handler."""

    def __init__(self, text: str):
        super().__init__(text)
        self.text = text


@dataclass(frozen=True)
class User:
    """Who is talking: their unit (None for an admin who reports for none) and whether they are an admin."""

    id: str
    unit: UnitRef | None
    is_admin: bool


@dataclass(frozen=True)
class Env:
    """What the composition root lends every message, besides its database session and its user."""

    config: Config
    calendar: ReportingCalendar
    clock: Clock
    flush_outbox: Callable[[], None]  # delivers what is due in the outbox; run after the message commits
    queue_built: Callable[[Callable[[], Push]], None]  # builds a push, queues it in a transaction of its own, flushes
    refresh_names: Callable[[], None] | None  # asks WeCom for the names missing or a week old, after the commit; None: no WeCom
    media: dict[str, MediaSource]  # downloads the images and videos members send, by the way they came (common.via)
    apart: Callable[[Callable[[Session], None]], None]  # runs work in a transaction of its own, then flushes the outbox


@dataclass
class Context:
    """What a handler may use: built per message once its user is known."""

    session: Session
    env: Env
    user: User
    via: str = WECOM  # the way the message came (common.via): a report records it
    _after_commit: list[Callable[[], None]] = field(default_factory=list, init=False, repr=False)

    @property
    def config(self) -> Config:
        return self.env.config

    @property
    def calendar(self) -> ReportingCalendar:
        return self.env.calendar

    @property
    def clock(self) -> Clock:
        return self.env.clock

    @property
    def unit(self) -> UnitRef:
        """The member's unit: member commands and forms run only for users with one (the dispatcher checks)."""
        if self.user.unit is None:
            raise LookupError(f"{self.user.id} reports for no unit")
        return self.user.unit

    @property
    def tz(self):
        return self.config.schedule.tz

    def local_now(self) -> datetime:
        return self.clock().astimezone(self.tz)

    def this_week(self) -> str:
        return local_week(self.clock(), self.tz)

    def named_week(self, text: str) -> str:
        """The week the user named (this week when none); a Refusal asking again when it names none."""
        week = week_from_words(text, self.this_week())
        if week is None:
            raise Refusal(BAD_WEEK.format(text=text))
        return week

    def unit_named(self, text: str) -> UnitRef:
        """The active unit an admin named (景洪, 景洪法院, its id); a Refusal saying why when none or several match."""
        unit = find_unit(session=self.session, text=text)
        if isinstance(unit, str):
            raise Refusal(unit)
        return unit

    def this_or_last_week(self, text: str) -> str | None:
        """For filing: this week (no words, 本周) or last week (上周); None for any other week."""
        current = self.this_week()
        week = week_from_words(text, current)
        return week if week in (current, shift_week(current, -1)) else None

    def people(self, user_ids: Iterable[str]) -> dict[str, PersonRef]:
        """The given users as people see them; names missing or a week old are asked of WeCom after the reply."""
        people, due = people_to_show(session=self.session, user_ids=user_ids, now=self.clock())
        if due and self.env.refresh_names is not None:
            self.after_commit(self.env.refresh_names)
        return people

    def name_of(self, user_id: str) -> str:
        """The user's name, else (not known yet, or WeCom unreachable) the userid."""
        return self.people([user_id])[user_id].shown

    def after_commit(self, action: Callable[[], None]) -> None:
        """Run `action` once this message's transaction has committed, after the reply (slow WeCom calls)."""
        if action not in self._after_commit:
            self._after_commit.append(action)

    def committed_actions(self) -> tuple[Callable[[], None], ...]:
        return tuple(self._after_commit)

    def push_to_groups(self, group_ids: Sequence[str], text: str, *, key: str, mention: Sequence[str] = ()) -> None:
        """Queue a push to each group (keyed `key:group`), @-mentioning `mention`, through the outbox; sent once this message's transaction commits."""
        self._queue([Push(push_key(key, group_id), Kind.GROUP, group_id, text, mention) for group_id in group_ids])

    def push_to_user(self, user_id: str, text: str, *, key: str) -> None:
        """Queue an app message to one user through the outbox, sent once this transaction commits."""
        self._queue([Push(key, Kind.USERS, user_id, text)])

    def push_file_after_reply(
        self, user_id: str, filename: str, build: Callable[[], bytes], *, key: str, failed_text: str
    ) -> None:
        """Send one user a file through the outbox, built after this message commits (building may take seconds).

        The user is told `failed_text` instead if the file cannot be delivered.
        """

        def file() -> Push:
            return Push(key, Kind.FILE, user_id, failed_text, filename=filename, content=build())

        self.after_commit(lambda: self.env.queue_built(file))

    def _queue(self, pushes: list[Push]) -> None:
        queue(session=self.session, pushes=pushes, now=self.clock())
        self.after_commit(self.env.flush_outbox)


Handler = Callable[[Incoming, Context], Reply | None]
