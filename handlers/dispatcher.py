"""Route one incoming message: dedupe, identify the user, then the open conversation or a keyword."""

from __future__ import annotations

from handlers import texts as m
from handlers.base import Context, Incoming, Reply, User
from handlers.forms.engine import is_control
from handlers.router import Audience, Router
from storage.conversations import OpenConversation, load_conversation
from storage.dedupe import claim_message
from storage.units import unit_of


def dispatch(msg: Incoming, ctx: Context, router: Router) -> Reply | None:
    """Handle a message once; a duplicate (a WeCom retry) gets None, meaning "no reply"."""
    if msg.key and not claim_message(session=ctx.session, key=msg.key, now=ctx.clock()):
        return None
    user = identify(msg.user_id, ctx)
    if user.unit is None and not user.is_admin:
        return Reply(m.UNBOUND)
    ctx.user = user
    if msg.kind != "text":
        return Reply(m.NOT_TEXT)
    conversation = load_conversation(session=ctx.session, user_id=user.id)
    if conversation is not None and conversation.form in router.conversations:
        return continue_conversation(msg, ctx, router, conversation)
    return run_command(msg, ctx, router) or help_reply(router, user, unknown=bool(msg.text))


def continue_conversation(msg: Incoming, ctx: Context, router: Router, conversation: OpenConversation) -> Reply | None:
    """An open draft takes the message, unless it is another command: that runs and the draft waits."""
    command = router.find(msg.keyword)
    if command is None or command.form == conversation.form or is_control(msg.text):
        return router.conversations[conversation.form](msg, ctx, conversation)
    title = router.form_titles[conversation.form]
    if command.form is not None:
        return Reply(m.OTHER_FORM_OPEN.format(title=title))
    reply = run_command(msg, ctx, router)
    return Reply(f"{reply.text}\n\n{m.DRAFT_KEPT.format(title=title)}") if reply else None


def run_command(msg: Incoming, ctx: Context, router: Router) -> Reply | None:
    """Run the command named by the message's first word, if the user may use it."""
    command = router.find(msg.keyword)
    if command is None:
        return None
    if command.who is Audience.ADMINS and not ctx.user.is_admin:
        return Reply(m.ADMINS_ONLY)
    if command.who is Audience.MEMBERS and ctx.user.unit is None:
        return Reply(m.MEMBERS_ONLY)
    return command.handler(msg, ctx)


def identify(user_id: str, ctx: Context) -> User:
    unit = unit_of(session=ctx.session, user_id=user_id)
    return User(user_id, unit, user_id in ctx.config.office.admins)


def help_reply(router: Router, user: User, *, unknown: bool = False) -> Reply:
    """Role-aware help, built from the registered commands so it never drifts from them."""
    lines = [m.HELP_UNKNOWN] if unknown else []
    lines.append(m.HELP_HEADER)
    lines += router.usages_for(is_admin=user.is_admin, is_member=user.unit is not None)
    lines.append(m.HELP_FOOTER)
    return Reply("\n".join(lines))
