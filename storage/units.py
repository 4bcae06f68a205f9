"""Units and their members: synced from config, with admin-added members kept on top; and the reads over them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import bindparam
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from storage.driver import DriverStatement
from storage.models import Membership, MemberSource, Unit


@dataclass(frozen=True)
class UnitSpec:
    """What config says about one unit (plain data, so storage needs nothing of the config package)."""

    id: str
    name: str
    group_id: str
    members: tuple[str, ...]


def sync_units(*, session: Session, units: Iterable[UnitSpec]) -> None:
    """Make the unit table and config-sourced members match config; admin-added members stay.

    Every worker runs this at start: stored rows are read in one query per table and only differences are
    written, so a config of thousands of units syncs in well under a second (no query per unit).
    """
    specs = list(units)
    wanted = {spec.id for spec in specs}
    stored = {unit.id: unit for unit in session.exec(select(Unit)).all()}
    for unit in stored.values():
        unit.active = unit.id in wanted
    for spec in specs:
        unit = stored.get(spec.id) or Unit(id=spec.id)
        unit.name, unit.group_id, unit.active = spec.name, spec.group_id, True
        session.add(unit)
    session.flush()
    _sync_config_members(session, {m: spec.id for spec in specs for m in spec.members})


def _sync_config_members(session: Session, config_members: dict[str, str]) -> None:
    """Config members bound as config says (taking over an admin-added row), other config-sourced rows removed."""
    stored = {row.user_id: row for row in session.exec(select(Membership)).all()}
    for row in stored.values():
        if row.source == MemberSource.CONFIG and row.user_id not in config_members:
            session.delete(row)
    for user_id, unit_id in config_members.items():
        row = stored.get(user_id) or Membership(user_id=user_id)
        row.unit_id, row.source = unit_id, MemberSource.CONFIG
        session.add(row)


class UnitRef(NamedTuple):
    """A unit as plain values: what handlers need, without loading an ORM row on every message."""

    id: str
    name: str
    group_id: str = ""


_UNITS, _MEMBERS = Unit.__table__.c, Membership.__table__.c
_UNIT_OF = DriverStatement(
    lambda _dialect: sa_select(_UNITS.id, _UNITS.name, _UNITS.group_id)
    .join_from(Unit.__table__, Membership.__table__, _MEMBERS.unit_id == _UNITS.id)
    .where(_MEMBERS.user_id == bindparam("user_id"), _UNITS.active.is_(True))
)


def unit_of(*, session: Session, user_id: str) -> UnitRef | None:
    """The active unit a user reports for, or None (run on the driver: every message asks)."""
    rows = _UNIT_OF.rows(session, {"user_id": user_id})
    return UnitRef(*rows[0]) if rows else None


def active_unit_refs(*, session: Session) -> list[UnitRef]:
    """Id, name and group of every active unit, by id: enough to match what an admin typed, without whole rows."""
    statement = select(Unit.id, Unit.name, Unit.group_id).where(col(Unit.active).is_(True)).order_by(Unit.id)
    return [UnitRef(*row) for row in session.exec(statement).all()]


def unit_names(*, session: Session, unit_ids: Iterable[str]) -> dict[str, str]:
    """The names of the given units (active or not: old notices and reports keep their unit's name)."""
    statement = select(Unit.id, Unit.name).where(col(Unit.id).in_(set(unit_ids)))
    return dict(session.exec(statement).all())


def members_by_unit(*, session: Session, unit_ids: Iterable[str]) -> dict[str, list[str]]:
    """The members of each given unit, sorted; units without members are absent."""
    statement = select(Membership.unit_id, Membership.user_id).where(col(Membership.unit_id).in_(list(unit_ids)))
    members: dict[str, list[str]] = defaultdict(list)
    for unit_id, user_id in session.exec(statement.order_by(Membership.user_id)).all():
        members[unit_id].append(user_id)
    return dict(members)


def membership_of(*, session: Session, user_id: str) -> Membership | None:
    return session.get(Membership, user_id)


def add_admin_member(*, session: Session, user_id: str, unit_id: str) -> None:
    """Bind a user to a unit on an admin's word (source ADMIN); a config member is never overwritten."""
    row = session.get(Membership, user_id)
    if row is not None and row.source == MemberSource.CONFIG:
        raise ValueError(f"{user_id!r} is a config member of {row.unit_id!r}")
    session.merge(Membership(user_id=user_id, unit_id=unit_id, source=MemberSource.ADMIN))
    session.flush()


def remove_admin_member(*, session: Session, user_id: str) -> bool:
    """Unbind an admin-added member; False when there is no such membership (config members stay)."""
    row = session.get(Membership, user_id)
    if row is None or row.source != MemberSource.ADMIN:
        return False
    session.delete(row)
    session.flush()
    return True
