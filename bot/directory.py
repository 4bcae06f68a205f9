"""Members' names from WeCom's directory (user/get, doc 90196), asked after the reply that needed them.

Views read names from the database only (storage/people.py) and ask for this refresh when some are
missing or a week old: a slow or failing WeCom never holds up a reply, nor a transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import Engine

from bot.messengers import WeComClient, call_wecom
from common.clock import Clock
from common.config import Config
from common.messenger import SendError
from storage.engine import session_scope
from storage.people import names_due, record_answer, record_failure

log = logging.getLogger(__name__)

LOOKUP_TIMEOUT = 5  # seconds: a name is worth less than a message, and the next view asks again
NO_SUCH_MEMBER = {46004, 60011, 60111}  # no such member, or not visible to the app: none WeCom reaches for it


class DirectoryError(Exception):
    """WeCom could not be asked (unreachable, busy, or refusing the app): try again later."""


class WeComDirectory:
    """Names through the app's client at `api_base_url`, the token fetch included."""

    def __init__(self, config: Config, timeout: float = LOOKUP_TIMEOUT):
        wecom = config.wecom
        self.client = WeComClient(wecom.corp_id, wecom.secret, wecom.api_base_url, timeout)

    def name_of(self, user_id: str) -> str | None:
        """The member's name in WeCom ("" when it gives none); None when WeCom has no such member for the app."""
        try:
            user = call_wecom(self.client, lambda: self.client.user.get(user_id), shows_message=False)
        except SendError as exc:
            if exc.errcode in NO_SUCH_MEMBER:
                return None
            raise DirectoryError(str(exc)) from exc
        return str(user.get("name") or "").strip()


def refresh_names(*, engine: Engine, directory: WeComDirectory, clock: Clock) -> None:
    """Ask WeCom for every name due, each outside any transaction; at the first failure the rest waits an hour."""
    with session_scope(engine) as session:
        due = names_due(session=session, now=clock())
    for index, user_id in enumerate(due):
        try:
            name = directory.name_of(user_id)
        except DirectoryError as exc:
            log.warning("WeCom names unavailable, userids shown meanwhile: %s", exc)
            with session_scope(engine) as session:
                record_failure(session=session, user_ids=due[index:], now=clock())
            return
        with session_scope(engine) as session:
            record_answer(session=session, user_id=user_id, name=name, now=clock())


def names_refresher(config: Config, *, engine: Engine, clock: Clock) -> Callable[[], None] | None:
    """What views call for the names they lack: WeCom's refresh when the app's secret is configured.

    None in console mode: names then come from the config and 添加成员 only.
    """
    if not config.wecom.secret:
        return None
    directory = WeComDirectory(config)
    return lambda: refresh_names(engine=engine, directory=directory, clock=clock)
