"""One engine walks any form: prompts, validation, skip, back, edit from the summary, cancel, resume.

The state is plain JSON saved in the user's Conversation row after every accepted answer, so a
restart, a crash or a week's pause loses nothing (PTB's ConversationHandler state table, flattened).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from handlers.base import Context, Incoming, Reply
from handlers.forms import texts as t
from handlers.forms.fields import Field, Incomplete, Invalid, NeedMore, Repeat
from handlers.forms.versions import Conflict, VersionOf, find_conflict
from handlers.words import compact
from reports.labels import moment
from storage.conversations import OpenConversation, end_conversation, save_conversation

_EDIT = re.compile(r"^(?:修改|改)?第?(\d+)项?$")  # on compact text: 修改 3, 修改第3项, 改3, a bare 3


@dataclass(frozen=True)
class Form:
    """A form as data: its fields plus the few hooks that make it a weekly report or a notice."""

    name: str
    title: str
    triggers: tuple[str, ...]
    fields: tuple[Field | Repeat, ...]
    begin: Callable[[Incoming, Context], dict | Reply]  # meta for a new draft (may carry "answers"), or a refusal
    heading: Callable[[dict], str]
    complete: Callable[[Context, dict], str]  # stores the answers; returns the receipt
    summary_note: Callable[[Context, dict], str] = lambda ctx, state: ""
    opening_note: Callable[[Context, dict], str] = lambda ctx, meta: ""  # a line under a new draft's first words
    recheck: Callable[[Context, dict], str | None] = lambda ctx, state: None  # at confirm: a refusal (may amend the draft)
    version: VersionOf | None = None  # the stored versions a draft may start from (see versions.py)


def is_control(text: str) -> bool:
    """Whether a form answers the text itself, even when it also names a command."""
    word = compact(text)
    return word in t.CONTROL_WORDS or bool(_EDIT.match(word))


def start(form: Form, msg: Incoming, ctx: Context) -> Reply:
    """Open a new draft; when `begin` returns earlier answers (a revision), it opens at the summary."""
    meta = form.begin(msg, ctx)
    if isinstance(meta, Reply):
        return meta
    answers = meta.pop("answers", None)
    state = {"meta": meta, "answers": dict(answers or {}), "mode": "fill", "back_to": "fill", "editing": False}
    _enter(form, state, 0)
    note = form.opening_note(ctx, meta)
    if answers:
        state["mode"] = "summary"
        return _save_and_reply(form, ctx, state, "\n".join(filter(None, [note, _summary(form, ctx, state)])))
    intro = t.INTRO.format(heading=form.heading(meta), total=len(form.fields))
    return _save_and_reply(form, ctx, state, intro + (note + "\n" if note else "") + _question(form, ctx, state))


def handle(form: Form, msg: Incoming, ctx: Context, conversation: OpenConversation) -> Reply:
    """Take one reply to an open draft."""
    state = repaired(form, conversation.state)
    if not state["meta"]:
        meta = form.begin(Incoming(msg.user_id, form.triggers[0]), ctx)
        state["meta"] = {} if isinstance(meta, Reply) else {k: v for k, v in meta.items() if k != "answers"}
    if _left_unit(ctx, state["meta"]):
        end_conversation(session=ctx.session, user_id=ctx.user.id)
        return Reply(t.LEFT_UNIT.format(unit=state["meta"]["unit_name"], title=form.title))
    word = compact(msg.text)
    if state["mode"] == "conflict":
        return _answer_conflict(form, ctx, state, word)
    if state["mode"] == "cancel":
        return _answer_cancel(form, ctx, state, word)
    if state["mode"] == "resume":
        return _answer_resume(form, msg, ctx, state, word)
    if msg.keyword in form.triggers:
        state["restart"] = msg.text
        return _pause(form, ctx, state, "resume", _resume_offer(form, state))
    if word in t.CANCEL_WORDS:
        return _pause(form, ctx, state, "cancel", t.CANCEL_ASK.format(title=form.title))
    if word == t.HELP_WORD:
        return Reply(f"{t.HELP.format(heading=form.heading(state['meta']))}\n\n{_current(form, ctx, state)}")
    if word == t.CONTINUE:
        return Reply(_current(form, ctx, state))
    if state["mode"] == "summary":
        return _answer_summary(form, ctx, state, word)
    if word == t.BACK:
        return _back(form, ctx, state)
    if word == t.SKIP:
        return _skip(form, ctx, state)
    return _answer(form, ctx, state, msg.text, word)


def repaired(form: Form, stored: dict) -> dict:
    """A stored draft made usable even if it predates a change to the form: answers kept, position re-derived.

    Without this, a draft saved by an older version (fewer fields, another layout) would fail on
    every message and lock its user out of the bot.
    """
    state = {"meta": {}, "answers": {}, "mode": "fill", "back_to": "fill", "editing": False, "sub": 0, "item": {}}
    state.update(stored if isinstance(stored, dict) else {})
    known = {"fill", "summary", "cancel", "resume", "conflict"}
    for part in ("answers", "meta"):
        if not isinstance(state[part], dict):
            state[part] = {}
    if state["mode"] not in known or state["back_to"] not in known - {"cancel", "resume", "conflict"}:
        state["mode"], state["back_to"] = "fill", "fill"
    if state["mode"] == "conflict" and not isinstance(state.get("conflict"), dict):
        state["mode"] = "summary"  # the choice is asked again at the next 确认
    if not isinstance(state.get("step"), int) or not 0 <= state["step"] < len(form.fields):
        unanswered = [i for i, field in enumerate(form.fields) if field.key not in state["answers"]]
        state["step"], state["sub"], state["item"] = (unanswered[0] if unanswered else len(form.fields) - 1), 0, {}
        state["mode"] = "fill" if unanswered else "summary"
    return state


def _answer(form: Form, ctx: Context, state: dict, raw: str, word: str) -> Reply:
    field = form.fields[state["step"]]
    if isinstance(field, Repeat):
        return _answer_repeat(form, ctx, state, field, raw, word)
    if word == t.KEEP:
        return _keep(form, ctx, state, field.key)
    offered = field.offer(ctx) if field.offer and word == "1" else None
    try:
        state["answers"][field.key] = _parse(field, offered or raw, ctx.local_now(), state.get("partial"))
    except NeedMore as more:
        state["partial"] = more.partial
        return _save_and_reply(form, ctx, state, str(more))
    except Invalid as exc:
        return Reply(t.INVALID.format(reason=exc, question=_question(form, ctx, state)))
    return _advance(form, ctx, state)


def _parse(field: Field, raw: str, now: datetime, partial: str | None):
    """Parse an answer alone, or, when it lacks a part, as the rest of an earlier partial one (a time after a date)."""
    try:
        return field.parse(raw, now)
    except Incomplete:
        if not partial:
            raise
        return field.parse(f"{partial} {raw}", now)


def _answer_repeat(form: Form, ctx: Context, state: dict, group: Repeat, raw: str, word: str) -> Reply:
    items = state["answers"].setdefault(group.key, [])
    if state["sub"] == 0 and word in (t.DONE, t.KEEP):
        if word == t.KEEP and not items:
            return Reply(t.NOTHING_TO_KEEP.format(question=_question(form, ctx, state)))
        return _advance(form, ctx, state)
    field = group.fields[state["sub"]]
    try:
        value = field.parse(raw, ctx.local_now())
    except Invalid as exc:
        return Reply(t.INVALID.format(reason=exc, question=_question(form, ctx, state)))
    if state.pop("replace", False):
        items.clear()
    state["item"][field.key] = value
    state["sub"] += 1
    if state["sub"] < len(group.fields):
        return _save_and_reply(form, ctx, state, _question(form, ctx, state))
    items.append(state["item"])
    state["sub"], state["item"] = 0, {}
    done = t.REPEAT_NEXT.format(count=len(items), unit=group.unit)
    return _save_and_reply(form, ctx, state, done + _question(form, ctx, state))


def _keep(form: Form, ctx: Context, state: dict, key: str) -> Reply:
    if key not in state["answers"]:
        return Reply(t.NOTHING_TO_KEEP.format(question=_question(form, ctx, state)))
    return _advance(form, ctx, state)


def _skip(form: Form, ctx: Context, state: dict) -> Reply:
    field = form.fields[state["step"]]
    if isinstance(field, Repeat):
        if state["sub"] == 0:
            return _advance(form, ctx, state)  # skipping the list keeps what was entered: it means 完成
        field = field.fields[state["sub"]]
    if not field.optional:
        return Reply(t.REQUIRED.format(label=field.label, question=_question(form, ctx, state)))
    state["answers"][field.key] = ""
    return _advance(form, ctx, state)


def _back(form: Form, ctx: Context, state: dict) -> Reply:
    if state["sub"] > 0:
        state["sub"] -= 1
    elif state["step"] == 0:
        return Reply(t.FIRST_FIELD.format(question=_question(form, ctx, state)))
    else:
        state["editing"] = False
        _enter(form, state, state["step"] - 1)
    return _save_and_reply(form, ctx, state, _question(form, ctx, state))


def _advance(form: Form, ctx: Context, state: dict) -> Reply:
    if state["editing"] or state["step"] + 1 >= len(form.fields):
        state["mode"], state["editing"] = "summary", False
        return _save_and_reply(form, ctx, state, _summary(form, ctx, state))
    _enter(form, state, state["step"] + 1)
    return _save_and_reply(form, ctx, state, _question(form, ctx, state))


def _enter(form: Form, state: dict, step: int) -> None:
    state["step"], state["sub"], state["item"] = step, 0, {}
    state.pop("partial", None)
    field = form.fields[step]
    state["replace"] = isinstance(field, Repeat) and bool(state["answers"].get(field.key))


def _answer_summary(form: Form, ctx: Context, state: dict, word: str) -> Reply:
    """At the summary: confirm, edit field N or step back; a word that may or may not mean yes is asked about."""
    if word in t.CONFIRM_WORDS:
        return _confirm(form, ctx, state)
    if word in t.MAYBE_CONFIRM_WORDS:
        return Reply(t.CONFIRM_ASK)
    if word == t.BACK:
        state["mode"] = "fill"
        _enter(form, state, len(form.fields) - 1)
        return _save_and_reply(form, ctx, state, _question(form, ctx, state))
    match = _EDIT.match(word)
    if match and 1 <= int(match[1]) <= len(form.fields):
        state["mode"], state["editing"] = "fill", True
        _enter(form, state, int(match[1]) - 1)
        return _save_and_reply(form, ctx, state, _question(form, ctx, state))
    return Reply(t.SUMMARY_BAD_NUMBER.format(total=len(form.fields)) if match else t.SUMMARY_WHAT_TO_TYPE)


def _confirm(form: Form, ctx: Context, state: dict) -> Reply:
    """Store the draft, unless a rule no longer holds (checked again now) or the stored content moved since it began."""
    refusal = form.recheck(ctx, state)
    if refusal:
        return _save_and_reply(form, ctx, state, refusal)
    conflict = find_conflict(form.fields, form.version, ctx, state) if form.version else None
    if conflict:
        state["mode"], state["conflict"] = "conflict", {"base": conflict.current.number, "merged": conflict.merged}
        state["conflict"]["text"] = _conflict_text(form, ctx, conflict)
        return _save_and_reply(form, ctx, state, state["conflict"]["text"])
    receipt = form.complete(ctx, state)
    end_conversation(session=ctx.session, user_id=ctx.user.id)
    return Reply(receipt)


def _conflict_text(form: Form, ctx: Context, conflict: Conflict) -> str:
    current, none = conflict.current, t.NO_FIELDS
    when = moment(current.at, ctx.tz)
    return t.CONFLICT.format(
        title=form.title, by=current.by, at=when, n=current.number,
        theirs="、".join(conflict.theirs) or none, mine="、".join(conflict.mine) or none,
    )


def _answer_conflict(form: Form, ctx: Context, state: dict, word: str) -> Reply:
    """合并 keeps the other's changes and applies this member's; 覆盖 replaces them; 放弃 drops the draft."""
    conflict = state.pop("conflict")
    if word == t.DISCARD:
        end_conversation(session=ctx.session, user_id=ctx.user.id)
        return Reply(t.DISCARDED.format(title=form.title))
    if word not in (t.MERGE, t.OVERWRITE):
        state["conflict"] = conflict
        return Reply(conflict["text"])
    if word == t.MERGE:
        state["answers"] = conflict["merged"]
    state["meta"]["base"], state["mode"] = conflict["base"], "summary"
    return _confirm(form, ctx, state)


def _left_unit(ctx: Context, meta: dict) -> bool:
    """A draft belongs to its unit: a member moved to another unit (or out of all) no longer writes for it."""
    unit = ctx.user.unit
    return "unit_id" in meta and (unit is None or unit.id != meta["unit_id"])


def _pause(form: Form, ctx: Context, state: dict, mode: str, text: str) -> Reply:
    state["back_to"], state["mode"] = state["mode"], mode
    return _save_and_reply(form, ctx, state, text)


def _answer_cancel(form: Form, ctx: Context, state: dict, word: str) -> Reply:
    if word in t.YES_WORDS:
        end_conversation(session=ctx.session, user_id=ctx.user.id)
        return Reply(t.CANCELLED)
    state["mode"] = state["back_to"]
    return _save_and_reply(form, ctx, state, t.NOT_CANCELLED.format(question=_current(form, ctx, state)))


def _answer_resume(form: Form, msg: Incoming, ctx: Context, state: dict, word: str) -> Reply:
    if word == t.RESTART:
        return start(form, Incoming(msg.user_id, state.get("restart") or form.triggers[0]), ctx)
    if word == t.CONTINUE:
        state["mode"] = state["back_to"]
        return _save_and_reply(form, ctx, state, _current(form, ctx, state))
    return Reply(_resume_offer(form, state))


def _resume_offer(form: Form, state: dict) -> str:
    heading = form.heading(state["meta"])
    mode = state["back_to"] if state["mode"] == "resume" else state["mode"]
    if mode == "summary":
        return t.RESUME_SUMMARY_ASK.format(heading=heading)
    return t.RESUME_ASK.format(heading=heading, n=state["step"] + 1, total=len(form.fields))


def _current(form: Form, ctx: Context, state: dict) -> str:
    return _summary(form, ctx, state) if state["mode"] == "summary" else _question(form, ctx, state)


def _question(form: Form, ctx: Context, state: dict) -> str:
    field = form.fields[state["step"]]
    n, total = state["step"] + 1, len(form.fields)
    if isinstance(field, Repeat):
        return _repeat_question(field, state, n, total)
    lines = [t.QUESTION.format(n=n, total=total, prompt=field.prompt) + (t.OPTIONAL_HINT if field.optional else "")]
    offered = field.offer(ctx) if field.offer else None
    if offered:
        lines.append(t.OFFER.format(value=offered))
    if state["answers"].get(field.key):
        lines.append(t.CURRENT.format(value=shorten(field.show(state["answers"][field.key], ctx.local_now()))))
    return "\n".join(lines)


def _repeat_question(group: Repeat, state: dict, n: int, total: int) -> str:
    items = state["answers"].get(group.key, [])
    if state["sub"] > 0:
        sub = group.fields[state["sub"]]
        return t.REPEAT_ITEM.format(index=len(items) + 1, unit=group.unit, prompt=sub.prompt)
    text = t.REPEAT_START.format(n=n, total=total, label=group.label, count=len(items), unit=group.unit, prompt=group.fields[0].prompt)
    if state.get("replace"):
        listed = "\n".join(f"{i}. {shorten(group.show_item(item))}" for i, item in enumerate(items, start=1))
        text += "\n" + t.REPEAT_REPLACE.format(count=len(items), unit=group.unit, items=listed)
    return text


def _summary(form: Form, ctx: Context, state: dict) -> str:
    lines = [t.SUMMARY_HEAD.format(heading=form.heading(state["meta"])), *describe(form, state["answers"], ctx.local_now())]
    note = form.summary_note(ctx, state)
    return "\n".join(lines + ([note] if note else []) + [t.SUMMARY_FOOT])


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


def _save_and_reply(form: Form, ctx: Context, state: dict, text: str) -> Reply:
    save_conversation(session=ctx.session, user_id=ctx.user.id, form=form.name, state=state, now=ctx.clock())
    return Reply(text)
