"""Units and their members: synced from config, with admin-added members kept on top."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from sqlmodel import Session, select

from storage.models import Membership, Unit


@dataclass(frozen=True)
class UnitSpec:
    """What config says about one unit (plain data, so storage needs nothing of the config package)."""

    id: str
    name: str
    group_id: str
    members: tuple[str, ...]


def sync_units(*, session: Session, units: Iterable[UnitSpec]) -> None:
    """Make the unit table and config-sourced members match config; admin-added members stay."""
    specs = list(units)
    wanted = {spec.id for spec in specs}
    for unit in session.exec(select(Unit)).all():
        unit.active = unit.id in wanted
    for spec in specs:
        session.merge(Unit(id=spec.id, name=spec.name, group_id=spec.group_id, active=True))
    session.flush()
    config_members = {m: spec.id for spec in specs for m in spec.members}
    for row in session.exec(select(Membership).where(Membership.source == "config")).all():
        if row.user_id not in config_members:
            session.delete(row)
    for user_id, unit_id in config_members.items():
        session.merge(Membership(user_id=user_id, unit_id=unit_id, source="config"))


def unit_of(*, session: Session, user_id: str) -> Unit | None:
    """The active unit a user reports for, or None."""
    statement = (
        select(Unit)
        .join(Membership, Membership.unit_id == Unit.id)
        .where(Membership.user_id == user_id, Unit.active == True)  # noqa: E712
    )
    return session.exec(statement).first()


def active_units(*, session: Session) -> list[Unit]:
    return list(session.exec(select(Unit).where(Unit.active == True).order_by(Unit.id)).all())  # noqa: E712


def membership_of(*, session: Session, user_id: str) -> Membership | None:
    return session.get(Membership, user_id)


def add_admin_member(*, session: Session, user_id: str, unit_id: str) -> None:
    """Bind a user to a unit on an admin's word (source "admin"); a config member is never overwritten."""
    row = session.get(Membership, user_id)
    if row is not None and row.source == "config":
        raise ValueError(f"{user_id!r} is a config member of {row.unit_id!r}")
    session.merge(Membership(user_id=user_id, unit_id=unit_id, source="admin"))
    session.flush()


def remove_admin_member(*, session: Session, user_id: str) -> bool:
    """Unbind an admin-added member; False when there is no such membership (config members stay)."""
    row = session.get(Membership, user_id)
    if row is None or row.source != "admin":
        return False
    session.delete(row)
    session.flush()
    return True
