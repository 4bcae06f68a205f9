"""Who a WeCom userid is, for every view: a name (and a phone) from the config or an admin, else WeCom's.

WeCom's names are asked for outside any transaction, after the reply that needed them, and asked again
a week later; a request that failed is tried again after an hour. Until a name is known the userid is shown.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import bindparam, update
from sqlmodel import Session, col, select

from storage.driver import DriverStatement
from storage.models import Follower, NameSource, Person
from storage.upsert import insert_absent, upsert_rows

ASK_AGAIN_AFTER = timedelta(days=7)
RETRY_AFTER = timedelta(hours=1)
_COLUMNS = (Person.user_id, Person.name, Person.phone, Person.source, Person.asked_at, Person.answered, Person.in_wecom)
_PersonRow = namedtuple("_PersonRow", [column.key for column in _COLUMNS])
_ONE_PERSON = DriverStatement(lambda _dialect: select(*_COLUMNS).where(col(Person.user_id) == bindparam("user_id")))


class PersonRef(NamedTuple):
    """A user as plain values; name and phone are "" when not known."""

    user_id: str
    name: str = ""
    phone: str = ""

    @property
    def shown(self) -> str:
        """The name, else the userid (a name not known yet, or WeCom unreachable)."""
        return self.name or self.user_id


@dataclass(frozen=True)
class PersonSpec:
    """What config says about one member (plain data, so storage needs nothing of the config package)."""

    user_id: str
    name: str = ""
    phone: str = ""


def sync_people(*, session: Session, people: Iterable[PersonSpec]) -> None:
    """Config members' names and phones as config says; without a name there, an admin's or WeCom's is kept.

    One query for the stored rows and one statement for the rows that differ, like the unit sync at every start.
    """
    stored = {row.user_id: row for row in session.execute(select(*_COLUMNS)).all()}
    changed = []
    for spec in people:
        row = stored.get(spec.user_id)
        name, phone, source = _as_configured(row, spec)
        if row is None or (name, phone, source) != (row.name, row.phone, row.source):
            ask_now = row is None or (row.source == NameSource.CONFIG and source == NameSource.WECOM)  # new, or its name dropped
            answers = {"asked_at": None, "answered": False} if ask_now else {"asked_at": row.asked_at, "answered": row.answered}
            known = {"in_wecom": row.in_wecom if row is not None else None}  # whether WeCom knows them does not change with the config
            changed.append({"user_id": spec.user_id, "name": name, "phone": phone, "source": source, **answers, **known})
    upsert_rows(session, Person, changed)


def _as_configured(row, spec: PersonSpec) -> tuple[str, str, str]:
    """(name, phone, source) once `spec` is applied to the stored row (None: a member never seen)."""
    if spec.name:
        return spec.name, spec.phone, NameSource.CONFIG
    if row is None or row.source == NameSource.CONFIG:
        return "", spec.phone, NameSource.WECOM
    return row.name, spec.phone, row.source


def give_name(*, session: Session, user_id: str, name: str) -> None:
    """An admin's word for a user's name (添加成员 … 姓名): kept until an admin or the config says otherwise."""
    row = session.get(Person, user_id) or Person(user_id=user_id)
    row.name, row.source = name, NameSource.ADMIN
    session.add(row)
    session.flush()


def people_to_show(*, session: Session, user_ids: Iterable[str], now: datetime) -> tuple[dict[str, PersonRef], bool]:
    """Each user as shown, and whether WeCom should now be asked for some of their names.

    A user seen for the first time gets a row, so that the asking after the reply knows of them.
    """
    ids = set(user_ids)
    rows = _rows_of(session, ids)
    found = {row.user_id: PersonRef(row.user_id, row.name, row.phone) for row in rows}
    unknown = sorted(ids - found.keys())
    insert_absent(session, Person, [_unknown(user_id) for user_id in unknown])
    due = bool(unknown) or any(_due(row, now) for row in rows)
    return {user_id: found.get(user_id, PersonRef(user_id)) for user_id in ids}, due


def _rows_of(session: Session, ids: set[str]) -> list:
    """The stored rows of these users; one user (a name in a reply) is read on the driver, several with IN."""
    if len(ids) == 1:
        return [_PersonRow(*row) for row in _ONE_PERSON.rows(session, {"user_id": next(iter(ids))})]
    return session.execute(select(*_COLUMNS).where(col(Person.user_id).in_(ids))).all() if ids else []


def known_names(*, session: Session, user_ids: Iterable[str]) -> dict[str, str]:
    """The names known for the given users (those without one are absent); nothing is written or asked."""
    ids = set(user_ids)
    statement = select(Person.user_id, Person.name).where(col(Person.user_id).in_(ids), Person.name != "")
    return dict(session.exec(statement).all()) if ids else {}


def names_due(*, session: Session, now: datetime) -> list[str]:
    """The users WeCom should be asked about now: names never asked, answered a week ago, or failed an hour ago; and
    members bound on WeChat whom WeCom has not yet said it knows or not (whatever their name's source), so that
    reminders reach those it does not know on WeChat.
    """
    rows = session.execute(select(*_COLUMNS).where(Person.source == NameSource.WECOM)).all()
    bound = select(Follower.user_id)
    unknown = session.execute(select(*_COLUMNS).where(col(Person.in_wecom).is_(None), col(Person.user_id).in_(bound))).all()
    return sorted({row.user_id for row in rows if _due(row, now)} | {row.user_id for row in unknown if _ask_again(row, now)})


def record_answer(*, session: Session, user_id: str, name: str | None, now: datetime) -> None:
    """WeCom answered for the user: its name ("" when it gave none; None when it has no such member), asked again in a week.

    Only a name still WeCom's is touched: an admin or the config may have given one meanwhile.
    """
    user = col(Person.user_id) == user_id
    session.execute(update(Person).where(user).values(asked_at=now, answered=True, in_wecom=name is not None))
    if name:
        session.execute(update(Person).where(user, col(Person.source) == NameSource.WECOM).values(name=name))


def record_failure(*, session: Session, user_ids: Iterable[str], now: datetime) -> None:
    """WeCom could not be asked for these users' names: tried again after an hour, the names known kept."""
    statement = update(Person).where(col(Person.user_id).in_(list(user_ids)), col(Person.source) == NameSource.WECOM)
    session.execute(statement.values(asked_at=now, answered=False))


def _due(row, now: datetime) -> bool:
    return row.source == NameSource.WECOM and _ask_again(row, now)


def _ask_again(row, now: datetime) -> bool:
    return row.asked_at is None or now - row.asked_at >= (ASK_AGAIN_AFTER if row.answered else RETRY_AFTER)


def _unknown(user_id: str) -> dict:
    """A row for a user never seen: no name yet, WeCom to be asked."""
    return {"user_id": user_id, "name": "", "phone": "", "source": NameSource.WECOM, "asked_at": None, "answered": False}
