"""How one answer is read and kept: parsed whole or as the rest of a partial one, stored under its keys, or skipped."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from handlers.forms import texts as t
from handlers.forms.fields import ANSWER_SLOT, Field, Fill, Incomplete


def parse_answer(field: Field, raw: str, now: datetime, partial: str | None) -> Any:
    """Parse an answer alone, or, when it lacks a part, as the rest of an earlier partial one (a time after a date).

    The rest goes where the partial answer marks it (ANSWER_SLOT), else after it.
    """
    try:
        return field.parse(raw, now)
    except Incomplete:
        if not partial:
            raise
        return field.parse(partial.replace(ANSWER_SLOT, raw) if ANSWER_SLOT in partial else f"{partial} {raw}", now)


def put_answer(values: dict, key: str, value: Any) -> None:
    """Store an answer under its field's key, or, for a Fill, under each key it fills."""
    values.update(value if isinstance(value, Fill) else {key: value})


def skips(field: Field, word: str) -> bool:
    """跳过, or 无 / 没有 on a field that may be left empty (on a required one they may be the answer)."""
    return word == t.SKIP or (field.optional and word in t.NONE_WORDS)
