"""One engine walks any form: prompts, validation, skip, back, edit from the summary, cancel, resume.

A draft is saved in the user's Conversation row (one per form) after every accepted answer, so a
restart, a crash or a week's pause loses nothing (PTB's ConversationHandler state table, flattened).
"""

from __future__ import annotations

from handlers.base import MEDIA_KINDS, Context, Incoming, Refusal, Reply
from handlers.forms import texts as t
from handlers.forms.answers import parse_answer, put_answer, skips
from handlers.forms.closing import EDIT, Closing
from handlers.forms.draft import Draft, Mode
from handlers.forms.fields import Field, Invalid, NeedMore, Repeat
from handlers.forms.form import Form
from handlers.forms.lists import LIST_EDIT, ListSteps, link_list
from handlers.forms.pauses import Pauses
from handlers.forms.shown import describe, shorten
from handlers.words import compact
from storage.conversations import OpenConversation, end_conversation, save_conversation


def is_control(text: str) -> bool:
    """Whether a form answers the text itself, even when it also names a command."""
    word = compact(text)
    return word in t.CONTROL_WORDS or bool(EDIT.match(word) or LIST_EDIT.match(word))


def takes(form: Form, kind: str) -> bool:
    """Whether a draft of the form keeps a shared message of this kind: a link in a list that takes links, media when it attaches them."""
    if kind == "link":
        return link_list(form) is not None
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


class _Turn(ListSteps, Pauses, Closing):
    """One message's work on one draft: the form, the message's context and the draft as loaded.

    Its steps at a list, in a pause and at the summary live in the modules of those names.
    """

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
        if skips(field, word):
            return self._skip(field)
        offered = field.offer(self.ctx) if field.offer and word == "1" else None
        try:
            value = parse_answer(field, offered or raw, self.ctx.local_now(), draft.held.get("partial"))
        except NeedMore as more:
            draft.held = {"partial": more.partial, "ask": str(more)}
            return self.save(str(more))
        except Invalid as exc:
            return Reply(t.INVALID.format(reason=exc, question=self.question()))
        put_answer(draft.answers, field.key, value)
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

    def _start_again(self, msg: Incoming) -> Reply:
        """重来: a new draft, as the command `msg` opens it (周报 上周 keeps its week)."""
        return start(self.form, msg, self.ctx)

    def end(self) -> None:
        end_conversation(session=self.ctx.session, user_id=self.ctx.user.id, form=self.form.name)


















def _left_unit(ctx: Context, meta: dict) -> bool:
    """A draft belongs to its unit: a member moved to another unit (or out of all) no longer writes for it."""
    unit = ctx.user.unit
    return "unit_id" in meta and (unit is None or unit.id != meta["unit_id"])






