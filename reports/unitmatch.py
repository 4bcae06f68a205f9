"""Units by what people call them: find one from what an admin typed, its id, its full name, part of it (景洪) or its
characters in order (景洪法院); and the short name a list on a phone shows (景洪, 西双版纳中院).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from sqlmodel import Session

from storage.units import UnitRef, active_unit_refs

NOT_FOUND = "没有找到单位“{text}”。请发送单位全称或其中几个字，如“景洪”。"
AMBIGUOUS = "“{text}”对应多个单位：{names}。请写得更具体些。"
MAX_CHOICES = 10

_COURT = re.compile(r"^(?P<place>.*?)(?P<level>中级|高级)?人民法院")
_LEVELS = {"中级": "中院", "高级": "高院"}
_PLACE_SUFFIXES = "省市州县"  # not 区: 浦东新区 reads better whole than 浦东新


def match_units(units: list[UnitRef], text: str) -> list[UnitRef]:
    """The best matches: exact id or name, else names containing the text, else names holding its characters in order."""
    text = text.strip()
    for matches in (
        [u for u in units if text in (u.id, u.name)],
        [u for u in units if text in u.name],
        [u for u in units if _in_order(text, u.name)],
    ):
        if matches:
            return matches
    return []


def find_unit(*, session: Session, text: str) -> UnitRef | str:
    """The one active unit meant by `text`, or the Chinese reply explaining why there is none."""
    matches = match_units(active_unit_refs(session=session), text)
    if len(matches) == 1:
        return matches[0]
    if not matches:
        return NOT_FOUND.format(text=text)
    names = "、".join(u.name for u in matches[:MAX_CHOICES])
    more = f" 等 {len(matches)} 个" if len(matches) > MAX_CHOICES else ""
    return AMBIGUOUS.format(text=text, names=names + more)


def _in_order(text: str, name: str) -> bool:
    remaining = iter(name)
    return bool(text) and all(char in remaining for char in text)


def short_unit_name(name: str) -> str:
    """A court's name without 人民法院 and its place's 省/市/州/县: 景洪市人民法院 → 景洪, 西双版纳州中级人民法院执行局 → 西双版纳中院.

    Other names stay whole; where this reads badly (景东彝族自治县), `short_name` in the config says better.
    """
    court = _COURT.match(name)
    if court is None:
        return name
    place = court["place"]
    if len(place) > 2 and place[-1] in _PLACE_SUFFIXES:  # 盘县 keeps its 县: one character is no name
        place = place[:-1]
    return (place + _LEVELS.get(court["level"], "")) or name


def short_names(units: Iterable[tuple[str, str, str]]) -> dict[str, str]:
    """Unit id → its name in lists, from (id, name, configured short name): the configured one, else the derived one,
    else (when two units would share a derived one) the full name.
    """
    units = list(units)
    derived = {unit_id: short or short_unit_name(name) for unit_id, name, short in units}
    taken = Counter(derived.values())
    return {unit_id: derived[unit_id] if short or taken[derived[unit_id]] == 1 else name for unit_id, name, short in units}
