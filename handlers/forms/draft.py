"""A draft's state: typed in memory, plain JSON in its Conversation row."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any


class Mode(StrEnum):
    """Where a draft stands: being filled in, at its summary, or paused on a question of its own."""

    FILL = "fill"
    SUMMARY = "summary"
    CANCEL = "cancel"  # asked whether to drop the draft
    RESUME = "resume"  # the form's command came again: continue, or start again?
    CONFLICT = "conflict"  # the stored content moved meanwhile: merge, overwrite or discard?
    CONFIRM = "confirm"  # a casual word (好, 是的) at the summary: submit?


PAUSES = (Mode.CANCEL, Mode.RESUME, Mode.CONFLICT, Mode.CONFIRM)


@dataclass
class Draft:
    """One member's answers to one form, and where they are in it.

    `held` holds a field's sub-steps answered so far: a list item's fields ({"channel": ..., "title": ...}),
    or a partial answer and the question asking for its rest ({"partial": "2026-12-03", "ask": "..."}).
    """

    meta: dict = field(default_factory=dict)
    answers: dict = field(default_factory=dict)
    mode: Mode = Mode.FILL
    back_to: Mode = Mode.FILL  # where a pause returns: FILL or SUMMARY
    step: int = 0
    held: dict = field(default_factory=dict)
    item_at: int | None = None  # the list item being re-asked (修改 N inside a list); None while adding one
    editing: bool = False  # came from the summary: return there after this field
    conflict: dict | None = None
    restart: str = ""  # the command that asked to start again (周报 上周)

    def enter(self, step: int) -> None:
        self.step, self.held, self.item_at = step, {}, None

    def to_json(self) -> dict:
        """The fields as they are, for the row's JSON column, which serialises them as the draft is saved.

        Not `asdict`: its deep copy of every answer was a tenth of a form answer's cost, on every message.
        """
        return {name: getattr(self, name) for name in _FIELDS}

    @classmethod
    def from_json(cls, stored: Any, keys: list[str]) -> Draft:
        """A stored draft made usable even if it predates a change to the form: answers kept, position re-derived.

        Without this, a draft saved by an older version (fewer fields, another layout, the untyped state
        before Draft) would fail on every message and lock its user out of the bot. `keys`: the form's fields' keys.
        """
        total = len(keys)
        stored = stored if isinstance(stored, dict) else {}
        draft = cls(meta=_dict(stored.get("meta")), answers=_dict(stored.get("answers")))
        draft.mode = _mode(stored.get("mode"), Mode)
        draft.back_to = _mode(stored.get("back_to"), (Mode.FILL, Mode.SUMMARY))
        draft.held = _held(stored)
        draft.item_at = stored.get("item_at") if _is_int(stored.get("item_at")) else None
        draft.editing = stored.get("editing") is True
        draft.conflict = stored.get("conflict") if isinstance(stored.get("conflict"), dict) else None
        draft.restart = stored.get("restart") if isinstance(stored.get("restart"), str) else ""
        if draft.mode is Mode.CONFLICT and draft.conflict is None:
            draft.mode = Mode.SUMMARY  # the choice is asked again at the next 确认
        step = stored.get("step")
        if _is_int(step) and 0 <= step < total:
            draft.step = step
        else:
            draft._reposition(keys)
        if draft.item_at is not None and not 0 <= draft.item_at < len(draft.answers.get(keys[draft.step], None) or []):
            draft.item_at = None
        return draft

    def _reposition(self, keys: list[str]) -> None:
        """At the first unanswered field, or at the summary when every field has an answer."""
        unanswered = [i for i, key in enumerate(keys) if key not in self.answers]
        self.enter(unanswered[0] if unanswered else len(keys) - 1)
        self.mode = Mode.FILL if unanswered else Mode.SUMMARY


_FIELDS = tuple(f.name for f in fields(Draft))


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _mode(value: Any, allowed) -> Mode:
    return Mode(value) if value in tuple(allowed) else Mode.FILL


def _held(stored: dict) -> dict:
    """The sub-steps in progress; drafts from before Draft kept them as "item" (a list item) or "partial" (a date)."""
    if isinstance(stored.get("held"), dict):
        return stored["held"]
    if isinstance(stored.get("partial"), str):
        return {"partial": stored["partial"], "ask": ""}
    return _dict(stored.get("item"))
