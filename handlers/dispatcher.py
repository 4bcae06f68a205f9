"""Route one incoming message: identify the user, then the open conversation or a keyword."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from sqlmodel import Session

from common.via import WECHAT
from handlers import texts as m
from handlers.base import SHARED_KINDS, Context, Env, Incoming, Refusal, Reply, User
from handlers.forms import texts as ft
from handlers.forms.engine import is_control
from handlers.router import Audience, Match, Router
from handlers.words import compact
from storage.conversations import OpenConversation, end_conversation, load_conversations
from storage.units import unit_of

SUBSCRIBE = "subscribe"


@dataclass(frozen=True)
class Handled:
    """A message's reply (None: no passive reply) and what must run once its transaction commits."""

    reply: Reply | None
    after_commit: tuple[Callable[[], None], ...] = ()


def dispatch(msg: Incoming, session: Session, env: Env, router: Router) -> Handled:
    """Handle a message for the user who sent it."""
    user = identify(session, env, msg.user_id)
    if user.unit is None and not user.is_admin:
        return Handled(Reply(m.UNBOUND))
    ctx = Context(session, env, user, via=msg.via)
    try:
        reply = route(msg, ctx, router)
    except Refusal as refusal:
        reply = Reply(refusal.text)
    return Handled(reply, ctx.committed_actions())


def route(msg: Incoming, ctx: Context, router: Router) -> Reply | None:
    """A question just asked may take the message; then the user's open drafts, else the keyword's command, else help."""
    if msg.event == SUBSCRIBE:
        return help_reply(router, ctx.user, lead=m.WELCOME)
    if msg.kind not in ("text", *SHARED_KINDS):
        return Reply(m.NOT_TEXT_WECHAT if msg.via == WECHAT else m.NOT_TEXT)
    conversations = load_conversations(session=ctx.session, user_id=ctx.user.id)
    answered = _answer_offer(msg, ctx, router, conversations)
    if answered is not None:
        return answered
    drafts = [c for c in conversations if c.form in router.conversations]
    if msg.kind in SHARED_KINDS:
        return _keep_shared(msg, ctx, router, drafts)
    if drafts:
        return continue_conversation(msg, ctx, router, drafts)
    return run_command(router.match(msg.text), msg, ctx, router) or help_reply(router, ctx.user, lead=m.HELP_UNKNOWN if msg.text else None)


def _answer_offer(msg: Incoming, ctx: Context, router: Router, conversations: list[OpenConversation]) -> Reply | None:
    """An offer lasts one message: it is withdrawn whatever comes, and the message goes on as usual unless it accepted."""
    offer = next((c for c in conversations if c.form in router.offers), None)
    if offer is None:
        return None
    end_conversation(session=ctx.session, user_id=ctx.user.id, form=offer.form)
    return router.offers[offer.form](msg, ctx, offer)


def _keep_shared(msg: Incoming, ctx: Context, router: Router, drafts: list[OpenConversation]) -> Reply | None:
    """A link, image or video goes to the open draft that keeps it (the last touched), else to what the router says for its kind."""
    if ctx.user.unit is None:
        return Reply(m.SHARED_NO_UNIT)
    keeper = next((d for d in drafts if router.takes(d.form, msg.kind)), None)
    if keeper is not None:
        return router.conversations[keeper.form](msg, ctx, keeper)
    unfiled = router.unfiled.get(msg.kind)
    return unfiled(msg, ctx) if unfiled else Reply(m.NOT_TEXT)


def is_silent_event(msg: Incoming) -> bool:
    """Events get no reply, except `subscribe`: a member who newly follows the app is greeted with their help.

    WeCom sends `enter_agent` every time a member opens the app (doc 90240): a help text each time
    would bury the conversation, a draft's question included, and answering nothing keeps the chat as
    the member left it; anything they type that is not a command gets their help. Other events (menu clicks,
    location reports, card callbacks) are not addressed to the bot as text.
    """
    return msg.kind == "event" and msg.event != SUBSCRIBE


def continue_conversation(msg: Incoming, ctx: Context, router: Router, drafts: list[OpenConversation]) -> Reply | None:
    """The draft touched last takes the message, unless it is another command: that runs and the drafts wait.

    A form's own command goes to its draft (which offers 继续 or 重来); another form's opens that form
    beside the drafts already open.
    """
    found = router.match(msg.text)
    if found is None or is_control(msg.text):
        return _answer(msg, ctx, router, drafts)
    if found.command.form is not None:
        drafts = _drop_fleeting(ctx, router, drafts, keep=found.command.form)
    own = next((d for d in drafts if d.form == found.command.form), None)
    if own is not None:
        return router.conversations[own.form](replace(msg, text=found.text), ctx, own)
    reply = run_command(found, msg, ctx, router)
    if reply is None or not drafts:
        return reply
    pending = router.pending[drafts[0].form]
    if found.command.form is not None:
        return Reply(f"{reply.text}\n{m.OTHER_DRAFT_KEPT.format(pending=pending, keyword=router.opener(drafts[0].form))}")
    return Reply(f"{reply.text}\n\n{m.DRAFT_KEPT.format(pending=pending)}")


def _drop_fleeting(ctx: Context, router: Router, drafts: list[OpenConversation], keep: str) -> list[OpenConversation]:
    """Opening a form drops the questions left unanswered (a withdrawal's 确认), not other drafts."""
    for draft in drafts:
        if draft.form in router.fleeting and draft.form != keep:
            end_conversation(session=ctx.session, user_id=ctx.user.id, form=draft.form)
    return [d for d in drafts if d.form not in router.fleeting or d.form == keep]


def _answer(msg: Incoming, ctx: Context, router: Router, drafts: list[OpenConversation]) -> Reply | None:
    """The last-touched draft answers; 继续 with two drafts open says which one goes on, and how to switch."""
    active = drafts[0]
    reply = router.conversations[active.form](msg, ctx, active)
    if reply is None or len(drafts) < 2 or compact(msg.text) != ft.CONTINUE:
        return reply
    other = drafts[1].form
    lead = m.RESUMING.format(pending=router.pending[active.form], other=router.pending[other], keyword=router.opener(other))
    return Reply(lead + reply.text)


def run_command(found: Match | None, msg: Incoming, ctx: Context, router: Router) -> Reply | None:
    """Run the command the message names, if the user may use it; its handler sees the message as matched."""
    if found is None:
        return None
    command = found.command
    if command.who is Audience.ADMINS and not ctx.user.is_admin:
        return Reply(m.ADMINS_ONLY)
    if command.who is Audience.MEMBERS and ctx.user.unit is None:
        # Only admins reach here without a unit (others are refused first): they get their own help.
        return help_reply(router, ctx.user, lead=m.ADMIN_NO_UNIT)
    return command.handler(replace(msg, text=found.text), ctx)


def identify(session: Session, env: Env, user_id: str) -> User:
    unit = unit_of(session=session, user_id=user_id)
    return User(user_id, unit, user_id in env.config.office.admins)


def help_reply(router: Router, user: User, *, lead: str | None = None) -> Reply:
    """Role-aware help, built from the registered commands so it never drifts from them, after an optional first line."""
    lines = [lead] if lead else []
    lines.append(m.HELP_HEADER)
    lines += router.usages_for(is_admin=user.is_admin, is_member=user.unit is not None)
    lines.append(m.HELP_FOOTER)
    return Reply("\n".join(lines))
