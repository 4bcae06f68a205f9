"""A form's list (稿件): items asked field by field, edited by number, and shared links kept as items waiting for their type."""

from __future__ import annotations

import re
from typing import Any

from handlers.base import Context, Incoming, Reply
from handlers.forms import texts as t
from handlers.forms.answers import put_answer, skips
from handlers.forms.draft import Draft, Mode
from handlers.forms.fields import Field, Fill, Invalid, Repeat
from handlers.forms.form import Form
from handlers.forms.shown import shorten

LIST_EDIT = re.compile(r"^(删除|删|修改|改)第?(\d+)[篇项条个]?$")  # inside a list: 删除 2, 修改第2篇


class ListSteps:
    """The part of a turn (engine._Turn) that answers at a list and inside its items."""

    form: Form
    ctx: Context
    draft: Draft

    def _answer_list(self, group: Repeat, raw: str, word: str) -> Reply:
        """At the list: 完成, 删除 N, 修改 N, 添加, or the first answer of a new item; inside an item: its next field."""
        draft = self.draft
        items = draft.answers.setdefault(group.key, [])
        at_list = not draft.held and draft.item_at is None
        waiting = waiting_item(group, items) if at_list else None
        if at_list and word in (t.DONE, t.KEEP, t.SKIP):
            if waiting is not None:
                missing = group.next_field(items[waiting]).label
                return Reply(t.LIST_WAITING.format(n=waiting + 1, unit=group.unit, missing=missing, question=self.question()))
            return self._advance()
        edit = LIST_EDIT.match(word) if at_list else None
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
        put_answer(draft.held, field.key, value)
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
        if skips(field, word) or (word == t.DONE and field.optional):
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
        draft, group = self.draft, link_list(self.form)
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

    def _ask_waiting(self, step: int) -> Reply:
        """To the list at `step`, whose waiting item (a shared link's type) is asked first; then back to the summary."""
        draft = self.draft
        draft.mode, draft.editing = Mode.FILL, True
        draft.enter(step)
        return self.save(self.question())

    def _waiting_list(self) -> int | None:
        """The step of a list with an item still waiting for answers (a shared link without its type), if any."""
        for step, field in enumerate(self.form.fields):
            if isinstance(field, Repeat) and waiting_item(field, self.draft.answers.get(field.key) or []) is not None:
                return step
        return None

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
        waiting = waiting_item(group, items)
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


def link_list(form: Form) -> Repeat | None:
    """The form's list that takes shared links, if any."""
    return next((f for f in form.fields if isinstance(f, Repeat) and f.from_link is not None), None)


def waiting_item(group: Repeat, items: list) -> int | None:
    """The first item still lacking an answer: a shared link kept before its type was asked."""
    return next((i for i, item in enumerate(items) if group.next_field(item) is not None), None)
