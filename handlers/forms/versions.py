"""A draft against the stored content it started from: what another member changed meanwhile, and the merge.

A draft remembers the version it started from (`meta["base"]`, 0 for something new). If, at confirm, the
stored content has moved on, the member sees who changed which fields and chooses: keep the other's
changes and apply only their own (合并), replace (覆盖), or drop the draft (放弃).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from handlers.base import Context
from handlers.forms.draft import Draft
from handlers.forms.fields import Field, Repeat


@dataclass(frozen=True)
class Version:
    """One stored version of what a form edits, as the form's answers."""

    number: int
    answers: dict
    by: str  # the userid of who stored it: named only when a conflict is shown
    at: datetime


VersionOf = Callable[[Context, dict, int | None], "Version | None"]  # (ctx, meta, number; None = the current one)


@dataclass(frozen=True)
class Conflict:
    current: Version
    theirs: list[str]  # labels of the fields the other member changed
    mine: list[str]  # labels of the fields this member changed
    merged: dict  # the current content with only this member's changes applied


def find_conflict(fields: tuple[Field | Repeat, ...], version_of: VersionOf, ctx: Context, draft: Draft) -> Conflict | None:
    """The stored content's move since the draft's base, or None when it has not moved."""
    current = version_of(ctx, draft.meta, None)
    base_number = draft.meta.get("base", 0)
    if current is None or current.number == base_number:
        return None
    base = version_of(ctx, draft.meta, base_number) if base_number else None
    base_answers = base.answers if base else {}
    mine = changed(fields, draft.answers, base_answers)
    theirs = changed(fields, current.answers, base_answers)
    merged = current.answers | {f.key: draft.answers.get(f.key) for f in mine}
    return Conflict(current, [f.label for f in theirs], [f.label for f in mine], merged)


def changed(fields: tuple[Field | Repeat, ...], answers: dict, base: dict) -> list[Field | Repeat]:
    """Fields whose answer differs from the base (a missing answer and an empty one are the same)."""
    return [f for f in fields if (answers.get(f.key) or None) != (base.get(f.key) or None)]
