"""The assembled bot: config, engine, messenger, clock and router, and the one way to handle a message."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from bot.callback_crypto import WeComCrypto
from bot.directory import names_refresher
from bot.errors import StartupError
from bot.followers import as_member
from bot.media import media_for
from bot.outbound import messenger_for
from common.clock import Clock, system_clock
from common.config import Config
from common.deadlines import ReportingCalendar
from common.media import MediaSource
from common.messenger import TEXT_LIMIT_BYTES, Messenger, split_text
from common.via import WECHAT
from handlers.base import Env, Incoming, Reply, to_sender
from handlers.dispatcher import Handled, dispatch, is_silent_event
from handlers.registry import build_router
from handlers.router import Router
from scheduler.delivery import Sleep, deliver_pending
from scheduler.service import SchedulerService
from storage.dedupe import claim_message, remember_reply, stored_reply
from storage.engine import make_engine, session_scope
from storage.migrate import one_start_at_a_time, upgrade
from storage.outbox import Push, push_key, queue
from storage.people import PersonSpec, sync_people
from storage.units import UnitSpec, sync_units

log = logging.getLogger(__name__)

BUSY = "系统繁忙，请稍后再试。"
MORE_FOLLOWS = "\n（内容较长，其余部分随后发送）"
FAILED = "系统出错，本条消息未处理，已填写的内容不受影响。请稍后再试。"
CANNOT_OPEN_DATABASE = "数据库无法打开 / cannot open the database of [storage] url {url}: {cause}"


Background = Callable[[Callable[[], None]], None]


@dataclass(frozen=True)
class Bot:
    """Everything a message or a job needs, built once by `build_bot`."""

    engine: Engine
    messenger: Messenger
    router: Router
    crypto: WeComCrypto
    background: Background
    sleep: Sleep
    env: Env  # what every message's handlers are lent: the config, calendar and clock are kept there only

    @property
    def config(self) -> Config:
        return self.env.config

    @property
    def calendar(self) -> ReportingCalendar:
        return self.env.calendar

    @property
    def clock(self) -> Clock:
        return self.env.clock

    def handle(self, msg: Incoming) -> Reply | None:
        """Handle one message in one transaction; on failure nothing of it is stored and the user is told."""
        try:
            with session_scope(self.engine) as session:
                handled = self._handle_once(msg, session)
        except OperationalError:
            log.exception("database unavailable while handling %s", msg.key)
            return Reply(BUSY)
        except Exception:
            log.exception("handler failed for %s", msg.key)
            return Reply(FAILED)
        for action in dict.fromkeys(handled.after_commit):
            self.background(action)
        return handled.reply

    def _handle_once(self, msg: Incoming, session: Session) -> Handled:
        """A message's first delivery is dispatched and its reply kept; WeCom's retry of it gets that reply again.

        A follower of the official account speaks as the member they are bound to; a stranger is answered apart.
        """
        if msg.via == WECHAT:
            member = as_member(msg, session=session, env=self.env, router=self.router)
            if isinstance(member, Handled):
                return member
            msg = member
        if is_silent_event(msg):
            return Handled(None)
        if msg.key and not claim_message(session=session, key=msg.key, now=self.clock()):
            stored = stored_reply(session=session, key=msg.key)
            return Handled(None if stored is None else Reply(stored))
        handled = fit_passive_reply(msg, session, self.env, dispatch(msg, session, self.env, self.router))
        if msg.key and handled.reply is not None:
            remember_reply(session=session, key=msg.key, reply=handled.reply.text)
        return handled

    def scheduler(self) -> SchedulerService:
        """The scheduler service over this bot's database, messenger and clock (start it with scheduler.service)."""
        return SchedulerService(
            engine=self.engine, messenger=self.messenger, config=self.config, calendar=self.calendar, clock=self.clock, sleep=self.sleep,
            deliver_soon=lambda: self.background(self.env.flush_outbox),
        )


def run_apart(work: Callable[[Session], None], *, engine: Engine, flush: Callable[[], None]) -> None:
    """Work that follows a reply (storing a download, queueing a built file) in a short transaction of its own; then delivery."""
    with session_scope(engine) as session:
        work(session)
    flush()


def queue_built(build: Callable[[], Push], *, apart: Callable[[Callable[[Session], None]], None], clock: Clock) -> None:
    """Build a push outside any transaction (a workbook takes seconds), then queue and deliver it apart.

    Its key makes a re-run queue nothing new, so it is never sent twice.
    """
    push = build()
    apart(lambda session: queue(session=session, pushes=[push], now=clock()))


def fit_passive_reply(msg: Incoming, session: Session, env: Env, handled: Handled) -> Handled:
    """A passive reply carries at most 2048 bytes, like any WeCom text (doc 90241): the rest follows through the outbox
    (app messages, or customer-service messages to a follower on WeChat)."""
    reply = handled.reply
    if reply is None or len(reply.text.encode()) <= TEXT_LIMIT_BYTES:
        return handled
    head, *rest = split_text(reply.text, TEXT_LIMIT_BYTES - len(MORE_FOLLOWS.encode()))
    push = to_sender(msg, push_key("reply", msg.key or uuid.uuid4()), "\n".join(rest))
    queue(session=session, pushes=[push], now=env.clock())
    return Handled(Reply(head + MORE_FOLLOWS), (*handled.after_commit, env.flush_outbox))


class Coalesced:
    """Runs `action` in one caller at a time; calls made meanwhile fold into one more run after it.

    Every confirmed form flushes the outbox: in a burst of confirms one thread delivers everything
    queued, instead of a thread per message contending for the same rows and the database.
    """

    def __init__(self, action: Callable[[], None]):
        self._action = action
        self._lock = threading.Lock()
        self._running = False
        self._again = False

    def __call__(self) -> None:
        with self._lock:
            if self._running:
                self._again = True
                return
            self._running = True
        try:
            while True:
                self._action()
                if self._settled():
                    return
        except BaseException:
            with self._lock:
                self._running = False
            raise

    def _settled(self) -> bool:
        """True, and no longer running, unless another call came in during the last run."""
        with self._lock:
            if self._again:
                self._again = False
                return False
            self._running = False
            return True


def run_in_thread(action: Callable[[], None]) -> None:
    """Slow follow-up work (WeCom calls) runs after the reply, so the callback answers well within 5 s."""
    threading.Thread(target=_logged(action), daemon=True).start()


def run_inline(action: Callable[[], None]) -> None:
    _logged(action)()


def _logged(action: Callable[[], None]) -> Callable[[], None]:
    def run() -> None:
        try:
            action()
        except Exception:
            log.exception("follow-up action failed")

    return run


def build_bot(
    config: Config,
    *,
    messenger: Messenger | None = None,
    media: MediaSource | None = None,
    clock: Clock = system_clock,
    background: Background = run_in_thread,
    sleep: Sleep = time.sleep,
) -> Bot:
    """Create the engine, the tables and the unit rows from config, pick the messenger and media source, and wire the rest."""
    engine = open_database(config)
    messenger = messenger or messenger_for(config)
    wecom = config.wecom
    calendar = ReportingCalendar(config.schedule)
    flush = Coalesced(partial(deliver_pending, engine=engine, messenger=messenger, clock=clock, sleep=sleep, admins=config.office.admins))
    apart = partial(run_apart, engine=engine, flush=flush)
    queue_later = partial(queue_built, apart=apart, clock=clock)
    refresher = names_refresher(config, engine=engine, clock=clock)
    refresh_names = Coalesced(refresher) if refresher else None  # one round of WeCom lookups at a time per process
    return Bot(
        engine=engine,
        messenger=messenger,
        router=build_router(wechat=config.wechat is not None),
        crypto=WeComCrypto(wecom.token, wecom.encoding_aes_key, wecom.corp_id),
        background=background,
        sleep=sleep,
        env=Env(config, calendar, clock, flush, queue_later, refresh_names, media_for(config, wecom=media), apart),
    )


def open_database(config: Config) -> Engine:
    """The engine, its schema upgraded and its units synced; StartupError naming `[storage] url` if that cannot be done."""
    url = config.storage.url
    try:
        engine = make_engine(url)
        prepare_database(engine, config)
    except (OperationalError, OSError) as exc:  # unreachable, refused, or a SQLite file that cannot be created
        shown = make_url(url).render_as_string(hide_password=True)
        raise StartupError(CANNOT_OPEN_DATABASE.format(url=shown, cause=_first_line(exc))) from None
    return engine


def _first_line(exc: Exception) -> str:
    """What the driver or the OS said, first line only (psycopg adds a hint, SQLAlchemy the statement)."""
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def prepare_database(engine: Engine, config: Config) -> None:
    """Migrations and the config's units and people, one starting process at a time (the others wait, then find it done)."""
    specs = [UnitSpec(u.id, u.name, u.group, tuple(m.id for m in u.members)) for u in config.units]
    people = [PersonSpec(m.id, m.name, m.phone) for u in config.units for m in u.members]
    with one_start_at_a_time(engine):
        upgrade(engine)
        with session_scope(engine) as session:
            sync_units(session=session, units=specs)
            sync_people(session=session, people=people)
