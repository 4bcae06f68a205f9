"""How a draft's answers read on a phone: numbered, abbreviated lines (the summary, 我的周报)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from handlers.forms import texts as t
from handlers.forms.fields import Field, Repeat
from handlers.forms.form import Form


def describe(form: Form, answers: dict, now: datetime) -> list[str]:
    """Numbered, abbreviated lines of every field, as in the summary, for a reader at the local `now`."""
    lines = []
    for i, field in enumerate(form.fields, start=1):
        lines.extend(_summary_lines(i, field, answers.get(field.key), now))
    return lines


def _summary_lines(i: int, field: Field | Repeat, value: Any, now: datetime) -> list[str]:
    if isinstance(field, Repeat):
        items = value or []
        head = f"{i}. {field.label}：{len(items)} {field.unit}" if items else f"{i}. {field.label}：{t.SUMMARY_EMPTY}"
        return [head] + [f"  {k}) {shorten(field.show_item(item), 40)}" for k, item in enumerate(items, start=1)]
    shown = shorten(field.show(value, now)) if value else t.SUMMARY_EMPTY
    return [f"{i}. {field.label}：{shown}"]


def shorten(text: str, limit: int = 60) -> str:
    """Long answers are abbreviated in prompts and summaries: a passive reply is capped at 2048 bytes."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
