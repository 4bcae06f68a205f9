"""The end of a form: the summary's answers, 确认提交吗？, the checks made again at confirm, and a conflicting version."""

from __future__ import annotations

import re

from handlers.base import Context, Incoming, Reply
from handlers.forms import texts as t
from handlers.forms.draft import Draft, Mode
from handlers.forms.form import Form
from handlers.forms.versions import Conflict, changed, find_conflict
from reports.labels import moment

EDIT = re.compile(r"^(?:修改|改)?第?(\d+)项?$")  # on compact text: 修改 3, 修改第3项, 改3, a bare 3


class Closing:
    """The part of a turn (engine._Turn) that answers at the summary and stores the draft."""

    form: Form
    ctx: Context
    draft: Draft

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
        match = EDIT.match(word)
        if match and 1 <= int(match[1]) <= len(self.form.fields):
            draft.mode, draft.editing = Mode.FILL, True
            draft.enter(int(match[1]) - 1)
            return self.save(self.question())
        return Reply(t.SUMMARY_BAD_NUMBER.format(total=len(self.form.fields)) if match else t.SUMMARY_WHAT_TO_TYPE)

    def _answer_confirm(self, msg: Incoming, word: str) -> Reply:
        """After 确认提交吗？ a yes of any kind submits, 否 keeps the summary, anything else is read as at the summary."""
        self.draft.mode = self.draft.back_to
        if word in t.SUBMIT_WORDS:
            return self._confirm()
        if word == t.NO:
            return self.save(t.NOT_CONFIRMED)
        return self.take(msg)

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
            title=self.form.title, by=self.ctx.name_of(current.by), at=moment(current.at, self.ctx.tz), n=current.number,
            theirs="、".join(conflict.theirs) or none, mine="、".join(conflict.mine) or none,
        )

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
