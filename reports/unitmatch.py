"""Find a unit from what an admin typed: its id, its full name, part of it (景洪), or its characters in order (景洪法院)."""

from __future__ import annotations

from sqlmodel import Session

from storage.units import UnitRef, active_unit_refs

NOT_FOUND = "没有找到单位“{text}”。请发送单位全称或其中几个字，如“景洪”。"
AMBIGUOUS = "“{text}”对应多个单位：{names}。请写得更具体些。"
MAX_CHOICES = 10


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
