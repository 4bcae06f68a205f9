"""Each unit's latest 催报 (who sent it, when), so that a second one within a set interval is held back."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from storage.models import UnitChase
from storage.upsert import DIALECT_INSERT, dialect_of

_CHASES = UnitChase.__table__


def claim_chases(*, session: Session, unit_ids: Sequence[str], by: str, now: datetime, interval: timedelta) -> list[str]:
    """Record a chase of each unit not chased within `interval` before `now`; those units' ids, in the order given.

    One upsert decides, so two admins chasing at once never both chase the same unit.
    """
    if not unit_ids:
        return []
    insert = DIALECT_INSERT[dialect_of(session)](_CHASES)
    statement = insert.on_conflict_do_update(
        index_elements=[_CHASES.c.unit_id],
        set_={"chased_by": insert.excluded.chased_by, "chased_at": insert.excluded.chased_at},
        where=_CHASES.c.chased_at <= now - interval,
    ).returning(_CHASES.c.unit_id)
    rows = [{"unit_id": unit_id, "chased_by": by, "chased_at": now} for unit_id in unit_ids]
    claimed = set(session.execute(statement, rows).scalars())
    return [unit_id for unit_id in unit_ids if unit_id in claimed]


def last_chased(*, session: Session, unit_ids: Sequence[str]) -> dict[str, datetime]:
    """When each given unit was last chased; units never chased are absent."""
    statement = select(UnitChase.unit_id, UnitChase.chased_at).where(col(UnitChase.unit_id).in_(list(unit_ids)))
    return dict(session.exec(statement).all())
