"""A draft paused on a question of its own: drop it (取消), or go on with it when its command comes again (继续 / 重来)."""

from __future__ import annotations

from handlers.base import Context, Incoming, Reply
from handlers.forms import texts as t
from handlers.forms.draft import PAUSES, Draft, Mode
from handlers.forms.form import Form


class Pauses:
    """The part of a turn (engine._Turn) that asks and answers a pause's question."""

    form: Form
    ctx: Context
    draft: Draft

    def _pause(self, mode: Mode, text: str) -> Reply:
        self.draft.back_to, self.draft.mode = self.draft.mode, mode
        return self.save(text)

    def _set_pause_aside(self) -> None:
        """A shared link is never taken as the answer to a pause's question: the question is dropped, or asked again when due."""
        draft = self.draft
        if draft.mode is Mode.CONFLICT:
            draft.mode, draft.conflict = Mode.SUMMARY, None  # asked again at the next 确认
        elif draft.mode in PAUSES:
            draft.mode = draft.back_to

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

    def _answer_resume(self, msg: Incoming, word: str) -> Reply:
        draft = self.draft
        if word == t.RESTART:
            return self._start_again(Incoming(msg.user_id, draft.restart or self.form.keywords[0]))
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
