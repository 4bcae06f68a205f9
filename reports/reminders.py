"""Reminders in the units' WeCom groups, @-mentioning their members: the scheduled reminders and 催报 share them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import NamedTuple, Protocol

from sqlmodel import Session

from storage.units import members_by_unit


class GroupedUnit(Protocol):
    id: str
    name: str
    group_id: str


class GroupReminder(NamedTuple):
    """One message to one group: the units it reminds (two units may share a group) and the members it @-mentions."""

    group_id: str
    units: list[GroupedUnit]
    mention: list[str]

    @property
    def names(self) -> str:
        return "、".join(unit.name for unit in self.units)


def reminders_by_group(*, session: Session, units: Sequence[GroupedUnit]) -> list[GroupReminder]:
    """The units' reminders, one per group in the order the groups first appear, mentioning each unit's members."""
    groups: dict[str, list[GroupedUnit]] = defaultdict(list)
    for unit in units:
        groups[unit.group_id].append(unit)
    members = members_by_unit(session=session, unit_ids=[unit.id for unit in units])
    return [
        GroupReminder(group_id, group_units, [m for unit in group_units for m in members.get(unit.id, [])])
        for group_id, group_units in groups.items()
    ]
