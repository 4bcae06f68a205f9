"""One engine walks any form: prompts, validation, skip, back, edit from the summary, cancel, resume.

A draft is saved in the user's Conversation row (one per form) after every accepted answer, so a
restart, a crash or a week's pause loses nothing (PTB's ConversationHandler state table, flattened).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from handlers.base import MEDIA_KINDS, Context, Incoming, Refusal, Reply
from handlers.forms import texts as t
from handlers.forms.draft import PAUSES, Draft, Mode
from handlers.forms.fields import ANSWER_SLOT, Field, Fill, Incomplete, Invalid, NeedMore, Repeat
from handlers.forms.versions import Conflict, VersionOf, changed, find_conflict
from handlers.words import compact
from reports.labels import moment
from storage.conversations import OpenConversation, end_conversation, save_conversation

_EDIT = re.compile(r"^(?:修改|改)?第?(\d+)项?$")  # on compact text: 修改 3, 修改第3项, 改3, a bare 3
_LIST_EDIT = re.compile(r"^(删除|删|修改|改)第?(\d+)[篇项条个]?$")  # inside a list: 删除 2, 修改第2篇


@dataclass(frozen=True)
class Trigger:
    """A command that opens the form, with its help line and other words for it."""

    keyword: str
    usage: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Form:
    """A form as data: its fields plus the few hooks that make it a weekly report or a notice.

    `begin` returns the new draft's meta (it may carry "answers": a revision starts from them) or raises Refusal.
    `attach` keeps an image or video sent during the draft (素材) and says so; a form without it takes none.
    """

    name: str
    title: str
    triggers: tuple[Trigger, ...]
    fields: tuple[Field | Repeat, ...]
    begin: Callable[[Incoming, Context], dict]
    heading: Callable[[dict], str]
    complete: Callable[[Context, Draft], str]  # stores the answers; returns the receipt
    summary_note: Callable[[Context, Draft], str] = lambda ctx, draft: ""
    opening_note: Callable[[Context, dict], str] = lambda ctx, meta: ""  # a line under a new draft's first words
    recheck: Callable[[Context, Draft], str | None] = lambda ctx, draft: None  # at confirm: a refusal (may amend the draft)
    version: VersionOf | None = None  # the stored versions a draft may start from (see versions.py)
    attach: Callable[[Context, Draft, Incoming], str] | None = None

    @property
    def keywords(self) -> tuple[str, ...]:
        return tuple(word for trigger in self.triggers for word in (trigger.keyword, *trigger.aliases))


def is_control(text: str) -> bool:
    """Whether a form answers the text itself, even when it also names a command."""
    word = compact(text)
    return word in t.CONTROL_WORDS or bool(_EDIT.match(word) or _LIST_EDIT.match(word))


def takes(form: Form, kind: str) -> bool:
    """Whether a draft of the form keeps a shared message of this kind: a link in a list that takes links, media when it attaches them."""
    if kind == "link":
        return _link_list(form) is not None
    return kind in MEDIA_KINDS and form.attach is not None


def start(form: Form, msg: Incoming, ctx: Context, *, shared: Incoming | None = None) -> Reply:
    """Open a new draft; when `begin` returns earlier answers (a revision), it opens at the summary.

    `shared`: a link the member chose to file in the new draft, taken as its first message.
    """
    meta = form.begin(msg, ctx)
    answers = meta.pop("answers", None)
    turn = _Turn(form, ctx, Draft(meta=meta, answers=dict(answers or {})))
    note = form.opening_note(ctx, meta)
    if answers:
        turn.draft.mode = Mode.SUMMARY
        lead = note
    else:
        lead = t.INTRO.format(heading=form.heading(meta), total=len(form.fields)).rstrip("\n") + ("\n" + note if note else "")
    reply = turn.take(shared) if shared else turn.save(turn.current())
    return Reply("\n".join(filter(None, [lead, reply.text])))


def handle(form: Form, msg: Incoming, ctx: Context, conversation: OpenConversation) -> Reply:
    """Take one reply to an open draft."""
    draft = Draft.from_json(conversation.state, [f.key for f in form.fields])
    if not draft.meta:
        draft.meta = _meta_of_old_draft(form, msg, ctx)
    turn = _Turn(form, ctx, draft)
    if _left_unit(ctx, draft.meta):
        turn.end()
        return Reply(t.LEFT_UNIT.format(unit=draft.meta["unit_name"], title=form.title))
    return turn.take(msg)


def _meta_of_old_draft(form: Form, msg: Incoming, ctx: Context) -> dict:
    """A draft saved without its meta is given a new draft's (its answers stay)."""
    try:
        meta = form.begin(Incoming(msg.user_id, form.keywords[0]), ctx)
    except Refusal:
        return {}
    meta.pop("answers", None)
    return meta


class _Turn:
    """One message's work on one draft: the form, the message's context and the draft as loaded."""

    def __init__(self, form: Form, ctx: Context, draft: Draft):
        self.form, self.ctx, self.draft = form, ctx, draft

    # -- routing -----------------------------------------------------------------------------------

    def take(self, msg: Incoming) -> Reply:
        draft, word = self.draft, compact(msg.text)
        if msg.kind in MEDIA_KINDS:  # before a pause's question: a file sent meanwhile is kept all the same
            return self._attach(msg)
        if msg.kind == "link":
            self._set_pause_aside()
            return self._take_link(msg)
        paused = {
            Mode.CONFLICT: self._answer_conflict, Mode.CANCEL: self._answer_cancel,
            Mode.RESUME: self._answer_resume, Mode.CONFIRM: self._answer_confirm,
        }
        if draft.mode in paused:
            return paused[draft.mode](msg, word)
        if msg.keyword in self.form.keywords and not is_control(msg.text):
            draft.restart = msg.text
            return self._pause(Mode.RESUME, self._resume_offer())
        if word in t.CANCEL_WORDS:
            return self._pause(Mode.CANCEL, t.CANCEL_ASK.format(title=self.form.title))
        if word == t.HELP_WORD:
            return Reply(f"{t.HELP.format(heading=self.form.heading(draft.meta))}\n\n{self.current()}")
        if word == t.CONTINUE:
            return Reply(self.current())
        if draft.mode is Mode.SUMMARY:
            return self._answer_summary(word)
        if word == t.BACK:
            return self._back()
        field = self.form.fields[draft.step]
        if isinstance(field, Repeat):
            return self._answer_list(field, msg.text, word)
        return self._answer_field(field, msg.text, word)

    # -- one field ---------------------------------------------------------------------------------

    def _answer_field(self, field: Field, raw: str, word: str) -> Reply:
        draft = self.draft
        if word == t.KEEP:
            return self._keep(field.key)
        if _skips(field, word):
            return self._skip(field)
        offered = field.offer(self.ctx) if field.offer and word == "1" else None
        try:
            value = _parse(field, offered or raw, self.ctx.local_now(), draft.held.get("partial"))
        except NeedMore as more:
            draft.held = {"partial": more.partial, "ask": str(more)}
            return self.save(str(more))
        except Invalid as exc:
            return Reply(t.INVALID.format(reason=exc, question=self.question()))
        _put(draft.answers, field.key, value)
        return self._advance()

    def _keep(self, key: str) -> Reply:
        if key not in self.draft.answers:
            return Reply(t.NOTHING_TO_KEEP.format(question=self.question()))
        return self._advance()

    def _skip(self, field: Field) -> Reply:
        if not field.optional:
            return Reply(t.REQUIRED.format(label=field.label, question=self.question()))
        self.draft.answers[field.key] = ""
        return self._advance()

    def _back(self) -> Reply:
        """One step back: inside a field's sub-steps first (the date before its time, an article's previous field)."""
        draft = self.draft
        if draft.held:
            self._back_inside()
        elif isinstance(self.form.fields[draft.step], Repeat) and draft.item_at is not None:
            draft.item_at = None  # leaves the item being re-asked unchanged
        elif draft.step == 0:
            return Reply(t.FIRST_FIELD.format(question=self.question()))
        else:
            draft.editing = False
            draft.enter(draft.step - 1)
        return self.save(self.question())

    def _back_inside(self) -> None:
        draft, field = self.draft, self.form.fields[self.draft.step]
        previous = field.previous_field(draft.held) if isinstance(field, Repeat) else None
        if previous is None:
            draft.held = {}
        else:
            draft.held = {k: v for k, v in draft.held.items() if k not in (previous.key, *previous.fills)}

    def _advance(self) -> Reply:
        draft = self.draft
        waiting = self._waiting_list()
        if waiting is not None and (draft.editing or draft.step + 1 >= len(self.form.fields)):
            return self._ask_waiting(waiting)
        if draft.editing or draft.step + 1 >= len(self.form.fields):
            draft.mode, draft.editing = Mode.SUMMARY, False
            draft.held, draft.item_at = {}, None
            return self.save(self.summary())
        draft.enter(draft.step + 1)
        return self.save(self.question())

    # -- a list (稿件) -------------------------------------------------------------------------------

    def _answer_list(self, group: Repeat, raw: str, word: str) -> Reply:
        """At the list: 完成, 删除 N, 修改 N, 添加, or the first answer of a new item; inside an item: its next field."""
        draft = self.draft
        items = draft.answers.setdefault(group.key, [])
        at_list = not draft.held and draft.item_at is None
        waiting = _waiting_item(group, items) if at_list else None
        if at_list and word in (t.DONE, t.KEEP, t.SKIP):
            if waiting is not None:
                missing = group.next_field(items[waiting]).label
                return Reply(t.LIST_WAITING.format(n=waiting + 1, unit=group.unit, missing=missing, question=self.question()))
            return self._advance()
        edit = _LIST_EDIT.match(word) if at_list else None
        if edit:
            return self._edit_list(group, items, edit[1] in ("删除", "删"), int(edit[2]))
        if at_list and word == t.ADD:
            return self.save(self.question())
        if waiting is not None:  # the answer is the waiting item's: a shared link's type
            draft.item_at, draft.held = waiting, dict(items[waiting])
        return self._answer_item(group, items, raw, word)

    def _edit_list(self, group: Repeat, items: list, delete: bool, number: int) -> Reply:
        if not 1 <= number <= len(items):
            return Reply(t.LIST_BAD_NUMBER.format(count=len(items), unit=group.unit, question=self.question()))
        if not delete:
            self.draft.item_at = number - 1
            return self.save(self.question())
        removed = items.pop(number - 1)
        done = t.LIST_DELETED.format(n=number, unit=group.unit, item=shorten(group.show_item(removed), 30))
        return self.save(done + self.question())

    def _answer_item(self, group: Repeat, items: list, raw: str, word: str) -> Reply:
        draft = self.draft
        field = group.next_field(draft.held)
        old = items[draft.item_at] if draft.item_at is not None else {}
        try:
            value = self._item_value(group, field, old, raw, word)
        except Invalid as exc:
            return Reply(t.INVALID.format(reason=exc, question=self.question()))
        _put(draft.held, field.key, value)
        if word == t.DONE and field.optional:  # 完成 at an optional last step: this item, and the list, are done
            self._store_item(group, items)
            return self._advance()
        if group.next_field(draft.held) is not None:
            return self.save(self.question())
        return self._store_item(group, items)

    def _item_value(self, group: Repeat, field: Field, old: dict, raw: str, word: str) -> Any:
        """An item field's answer: kept (保留) from the item being re-asked, skipped, a suggestion accepted, or parsed."""
        if word == t.KEEP and field.key in old:
            return _kept(group, field, old)
        if _skips(field, word) or (word == t.DONE and field.optional):
            if not field.optional:
                raise Invalid(t.REQUIRED_SHORT.format(label=field.label))
            return ""
        suggested = field.suggest(self.draft.held) if field.suggest else None
        if suggested and word in t.ACCEPT_WORDS:
            return suggested
        return field.parse(raw, self.ctx.local_now())

    def _store_item(self, group: Repeat, items: list) -> Reply:
        draft = self.draft
        if draft.item_at is None:
            items.append(draft.held)
            done = t.REPEAT_NEXT.format(count=len(items), unit=group.unit)
        else:
            completed = group.next_field(items[draft.item_at]) is not None  # a shared link given its type
            items[draft.item_at] = draft.held
            done = (t.REPEAT_NEXT if completed else t.REPEAT_CHANGED).format(count=draft.item_at + 1, unit=group.unit)
        draft.held, draft.item_at = {}, None
        return self.save(done + self.question())

    def _take_link(self, msg: Incoming) -> Reply:
        """A shared link becomes an item of the list that takes links (`takes` says the form has one).

        At that list it starts the item being asked; elsewhere it joins the list as an item waiting for the rest
        (its type), asked when the member reaches the list, or at once from the summary. A shared link is never dropped.
        """
        draft, group = self.draft, _link_list(self.form)
        shared = {k: v for k, v in group.from_link(msg.title, msg.url).items() if v}
        items = draft.answers.setdefault(group.key, [])
        if draft.mode is Mode.FILL and self.form.fields[draft.step] is group:
            draft.held = {k: v for k, v in draft.held.items() if k not in shared} | shared
            if group.next_field(draft.held) is None:
                return self._store_item(group, items)
            return self.save(self.question())
        items.append(shared)
        if draft.mode is Mode.SUMMARY:
            return self._ask_waiting(self.form.fields.index(group))
        kept = t.LINK_KEPT.format(item=shorten(group.show_item(shared), 40), label=group.label, missing=group.next_field(shared).label)
        return self.save(f"{kept}\n{self.current()}")

    def _set_pause_aside(self) -> None:
        """A shared link is never taken as the answer to a pause's question: the question is dropped, or asked again when due."""
        draft = self.draft
        if draft.mode is Mode.CONFLICT:
            draft.mode, draft.conflict = Mode.SUMMARY, None  # asked again at the next 确认
        elif draft.mode in PAUSES:
            draft.mode = draft.back_to

    def _ask_waiting(self, step: int) -> Reply:
        """To the list at `step`, whose waiting item (a shared link's type) is asked first; then back to the summary."""
        draft = self.draft
        draft.mode, draft.editing = Mode.FILL, True
        draft.enter(step)
        return self.save(self.question())

    def _waiting_list(self) -> int | None:
        """The step of a list with an item still waiting for answers (a shared link without its type), if any."""
        for step, field in enumerate(self.form.fields):
            if isinstance(field, Repeat) and _waiting_item(field, self.draft.answers.get(field.key) or []) is not None:
                return step
        return None

    # -- media (素材) -----------------------------------------------------------------------------------

    def _attach(self, msg: Incoming) -> Reply:
        """An image or video sent during the draft: the form keeps it, and what the draft waits for is asked again."""
        kept = self.form.attach(self.ctx, self.draft, msg)
        return self.save(f"{kept}\n{self._waiting_for()}")

    def _waiting_for(self) -> str:
        """A pause's question, the current question, or at the summary what to type (a photo at a time would resend it whole)."""
        draft = self.draft
        if draft.mode is Mode.CONFLICT:
            return draft.conflict["text"]
        if draft.mode is Mode.CANCEL:
            return t.CANCEL_ASK.format(title=self.form.title)
        if draft.mode is Mode.CONFIRM:
            return t.CONFIRM_ASK
        if draft.mode is Mode.RESUME:
            return self._resume_offer()
        return t.SUMMARY_WHAT_TO_TYPE if draft.mode is Mode.SUMMARY else self.question()

    # -- the summary and confirm -------------------------------------------------------------------

    def _answer_summary(self, word: str) -> Reply:
        """At the summary: confirm, edit field N or step back; a word that may or may not mean yes is asked about."""
        draft = self.draft
        if word in t.CONFIRM_WORDS:
            return self._confirm()
        if word in t.MAYBE_CONFIRM_WORDS:
            return self._pause(Mode.CONFIRM, t.CONFIRM_ASK)
        if word == t.BACK:
            draft.mode = Mode.FILL
            draft.enter(len(self.form.fields) - 1)
            return self.save(self.question())
        match = _EDIT.match(word)
        if match and 1 <= int(match[1]) <= len(self.form.fields):
            draft.mode, draft.editing = Mode.FILL, True
            draft.enter(int(match[1]) - 1)
            return self.save(self.question())
        return Reply(t.SUMMARY_BAD_NUMBER.format(total=len(self.form.fields)) if match else t.SUMMARY_WHAT_TO_TYPE)

    def _confirm(self) -> Reply:
        """Store the draft, unless a rule no longer holds (checked again now) or the stored content moved since it began."""
        form, ctx, draft = self.form, self.ctx, self.draft
        waiting = self._waiting_list()
        if waiting is not None:  # only a draft repaired from an older layout gets here so
            return self._ask_waiting(waiting)
        refusal = form.recheck(ctx, draft)
        if refusal:
            return self.save(refusal)
        conflict = find_conflict(form.fields, form.version, ctx, draft) if form.version else None
        if conflict:
            text = self._conflict_text(conflict)
            draft.mode, draft.conflict = Mode.CONFLICT, {"base": conflict.current.number, "merged": conflict.merged, "text": text}
            return self.save(text)
        if self._unchanged():
            self.end()
            return Reply(t.UNCHANGED.format(title=form.title, n=draft.meta["base"]))
        receipt = form.complete(ctx, draft)
        self.end()
        return Reply(receipt)

    def _unchanged(self) -> bool:
        """A revision confirmed without any change: nothing new to store (nor to tell the office).

        Unless the form marked the draft changed all the same (meta "changed": a 素材 added, or the office
        sent the version back and wants it resubmitted).
        """
        form, draft = self.form, self.draft
        if draft.meta.get("changed"):
            return False
        current = form.version(self.ctx, draft.meta, None) if form.version and draft.meta.get("base") else None
        return current is not None and not changed(form.fields, draft.answers, current.answers)

    def _conflict_text(self, conflict: Conflict) -> str:
        current, none = conflict.current, t.NO_FIELDS
        return t.CONFLICT.format(
            title=self.form.title, by=current.by, at=moment(current.at, self.ctx.tz), n=current.number,
            theirs="、".join(conflict.theirs) or none, mine="、".join(conflict.mine) or none,
        )

    # -- pauses: conflict, cancel, resume --------------------------------------------------------------

    def _answer_conflict(self, msg: Incoming, word: str) -> Reply:
        """合并 keeps the other's changes and applies this member's; 覆盖 replaces them; 放弃 drops the draft."""
        draft = self.draft
        if word == t.DISCARD:
            self.end()
            return Reply(t.DISCARDED.format(title=self.form.title))
        if word not in (t.MERGE, t.OVERWRITE):
            return Reply(draft.conflict["text"])
        conflict, draft.conflict = draft.conflict, None
        if word == t.MERGE:
            draft.answers = conflict["merged"]
        draft.meta["base"], draft.mode = conflict["base"], Mode.SUMMARY
        return self._confirm()

    def _pause(self, mode: Mode, text: str) -> Reply:
        self.draft.back_to, self.draft.mode = self.draft.mode, mode
        return self.save(text)

    def _answer_cancel(self, msg: Incoming, word: str) -> Reply:
        """是 drops the draft; 否 goes on; any other message is taken as what it says (an answer, 上一步...)."""
        draft = self.draft
        if word in t.YES_WORDS:
            self.end()
            return Reply(t.CANCELLED)
        draft.mode = draft.back_to
        if word == t.NO:
            return self.save(t.NOT_CANCELLED.format(question=self.current()))
        reply = self.take(msg)
        return Reply(t.NOT_CANCELLED_TAKEN + reply.text)

    def _answer_confirm(self, msg: Incoming, word: str) -> Reply:
        """After 确认提交吗？ a yes of any kind submits, 否 keeps the summary, anything else is read as at the summary."""
        self.draft.mode = self.draft.back_to
        if word in t.SUBMIT_WORDS:
            return self._confirm()
        if word == t.NO:
            return self.save(t.NOT_CONFIRMED)
        return self.take(msg)

    def _answer_resume(self, msg: Incoming, word: str) -> Reply:
        draft = self.draft
        if word == t.RESTART:
            return start(self.form, Incoming(msg.user_id, draft.restart or self.form.keywords[0]), self.ctx)
        if word == t.CONTINUE:
            draft.mode = draft.back_to
            return self.save(self.current())
        return Reply(t.NOT_TAKEN + self._resume_offer())

    def _resume_offer(self) -> str:
        draft = self.draft
        heading = self.form.heading(draft.meta)
        mode = draft.back_to if draft.mode is Mode.RESUME else draft.mode
        if mode is Mode.SUMMARY:
            return t.RESUME_SUMMARY_ASK.format(heading=heading)
        return t.RESUME_ASK.format(heading=heading, n=draft.step + 1, total=len(self.form.fields))

    # -- what the member reads -----------------------------------------------------------------------

    def current(self) -> str:
        return self.summary() if self.draft.mode is Mode.SUMMARY else self.question()

    def question(self) -> str:
        draft = self.draft
        field = self.form.fields[draft.step]
        n, total = draft.step + 1, len(self.form.fields)
        if isinstance(field, Repeat):
            return self._list_question(field, n, total)
        if draft.held.get("ask"):
            return draft.held["ask"]
        lines = [t.QUESTION.format(n=n, total=total, prompt=field.prompt) + (t.OPTIONAL_HINT if field.optional else "")]
        offered = field.offer(self.ctx) if field.offer else None
        if offered:
            lines.append(t.OFFER.format(value=offered))
        if draft.answers.get(field.key):
            lines.append(t.CURRENT.format(value=shorten(field.show(draft.answers[field.key], self.ctx.local_now()))))
        return "\n".join(lines)

    def _list_question(self, group: Repeat, n: int, total: int) -> str:
        """The list with its items and what may be typed (first a waiting item's question), or, inside an item, its next question."""
        draft = self.draft
        items = draft.answers.get(group.key, [])
        if draft.held or draft.item_at is not None:
            return self._item_question(group, items, draft.item_at, draft.held)
        head = t.REPEAT_START.format(n=n, total=total, label=group.label, count=len(items), unit=group.unit)
        if not items:
            return f"{head}\n{group.next_field({}).prompt}\n{t.LIST_DONE}"
        listed = "\n".join(f"{i}. {shorten(group.show_item(item), 40)}" for i, item in enumerate(items, start=1))
        waiting = _waiting_item(group, items)
        asked = group.more_prompt or group.next_field({}).prompt
        if waiting is not None:
            asked = self._item_question(group, items, waiting, items[waiting])
        return f"{head}\n{listed}\n{asked}\n{t.LIST_HOW.format(unit=group.unit)}"

    def _item_question(self, group: Repeat, items: list, at: int | None, held: dict) -> str:
        """The next question of item `at` (None: a new one) with its answers so far `held`."""
        field = group.next_field(held)
        index = at + 1 if at is not None else len(items) + 1
        lines = [t.REPEAT_ITEM.format(index=index, unit=group.unit, prompt=field.prompt) + (t.OPTIONAL_HINT if field.optional else "")]
        suggested = field.suggest(held) if field.suggest else None
        if suggested:
            lines.append(t.SUGGESTED.format(value=suggested))
        old = items[at] if at is not None else {}
        kept = _kept_text(group, field, old)  # a place given instead of a link shows though the link is empty
        if kept:
            lines.append(t.CURRENT.format(value=shorten(kept)))
        return "\n".join(lines)

    def summary(self) -> str:
        form, draft = self.form, self.draft
        lines = [t.SUMMARY_HEAD.format(heading=form.heading(draft.meta)), *describe(form, draft.answers, self.ctx.local_now())]
        note = form.summary_note(self.ctx, draft)
        return "\n".join(lines + ([note] if note else []) + [t.SUMMARY_FOOT])

    # -- storing -------------------------------------------------------------------------------------

    def save(self, text: str) -> Reply:
        ctx = self.ctx
        save_conversation(session=ctx.session, user_id=ctx.user.id, form=self.form.name, state=self.draft.to_json(), now=ctx.clock())
        return Reply(text)

    def end(self) -> None:
        end_conversation(session=self.ctx.session, user_id=self.ctx.user.id, form=self.form.name)


def _parse(field: Field, raw: str, now: datetime, partial: str | None) -> Any:
    """Parse an answer alone, or, when it lacks a part, as the rest of an earlier partial one (a time after a date).

    The rest goes where the partial answer marks it (ANSWER_SLOT), else after it.
    """
    try:
        return field.parse(raw, now)
    except Incomplete:
        if not partial:
            raise
        return field.parse(partial.replace(ANSWER_SLOT, raw) if ANSWER_SLOT in partial else f"{partial} {raw}", now)


def _put(values: dict, key: str, value: Any) -> None:
    """Store an answer under its field's key, or, for a Fill, under each key it fills."""
    values.update(value if isinstance(value, Fill) else {key: value})


def _skips(field: Field, word: str) -> bool:
    """跳过, or 无 / 没有 on a field that may be left empty (on a required one they may be the answer)."""
    return word == t.SKIP or (field.optional and word in t.NONE_WORDS)


def _kept(group: Repeat, field: Field, old: dict) -> Any:
    """保留 on an item field keeps the old answer, with what it filled that no field asks (a place given instead of a link)."""
    keys = _own_keys(group, field)
    return Fill({k: old[k] for k in keys if k in old}) if len(keys) > 1 else old[field.key]


def _kept_text(group: Repeat, field: Field, old: dict) -> str:
    return "；".join(str(old[k]) for k in _own_keys(group, field) if old.get(k))


def _own_keys(group: Repeat, field: Field) -> tuple[str, ...]:
    """The field's key and those it fills that no field of the item asks for."""
    asked = {f.key for f in group.fields}
    return (field.key, *(k for k in field.fills if k not in asked))


def _link_list(form: Form) -> Repeat | None:
    """The form's list that takes shared links, if any."""
    return next((f for f in form.fields if isinstance(f, Repeat) and f.from_link is not None), None)


def _waiting_item(group: Repeat, items: list) -> int | None:
    """The first item still lacking an answer: a shared link kept before its type was asked."""
    return next((i for i, item in enumerate(items) if group.next_field(item) is not None), None)


def _left_unit(ctx: Context, meta: dict) -> bool:
    """A draft belongs to its unit: a member moved to another unit (or out of all) no longer writes for it."""
    unit = ctx.user.unit
    return "unit_id" in meta and (unit is None or unit.id != meta["unit_id"])


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
