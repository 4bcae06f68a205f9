"""`撤回预告 N`: withdrawing an advance notice, asked once more (with an optional reason) before the office is told."""

from __future__ import annotations

from handlers.advance_notice import event_when, numbered_notice, tell_office
from handlers.base import Context, Incoming, Reply
from handlers.forms import texts as ft
from handlers.forms.fields import normalise
from handlers.router import Audience, Router
from handlers.words import as_argument
from reports import notices as nt
from storage.conversations import OpenConversation, end_conversation, save_conversation
from storage.models import Notice
from storage.notices import withdraw_notice

NAME = "withdrawal"
HOW_TO_WITHDRAW = "请先发送 我的预告 查看编号，再发送 撤回预告 N，例如：撤回预告 1。"
WITHDRAW_ASK = "确认撤回 {when} 的「{theme}」吗？可附撤回原因，如：确认 活动延期。回复 取消 不撤回。"
WITHDRAWN = "已撤回预告：{theme}，{when}。已通知中院办公室。"
NOT_WITHDRAWN = "未撤回，预告「{theme}」保留不变。"
ALREADY_GONE = "该预告已撤回，无需再撤回。发送 我的预告 查看待举行的预告。"
NOT_YOURS = "您已不是该预告所属单位的成员，未撤回。"
REASON_TOO_LONG = "撤回原因请在 {limit} 字以内。"
CONFIRM_WORDS = ("确认", "确定")
REASON_LIMIT = 200
PUNCTUATION = " ，,：:。"


def withdraw(msg: Incoming, ctx: Context) -> Reply:
    """`撤回预告 N`: ask to confirm, with an optional reason, before anything is withdrawn or pushed."""
    notice = numbered_notice(msg.args, ctx, HOW_TO_WITHDRAW)
    save_conversation(session=ctx.session, user_id=ctx.user.id, form=NAME, state={"notice_id": notice.id}, now=ctx.clock())
    return Reply(_ask(ctx, notice))


def answer_withdrawal(msg: Incoming, ctx: Context, conversation: OpenConversation) -> Reply:
    """`确认 [原因]` withdraws the notice asked about and tells the office; `撤回预告 N` asks anew; anything else keeps it."""
    if msg.keyword == "撤回预告":
        return withdraw(msg, ctx)
    notice = ctx.session.get(Notice, conversation.state.get("notice_id", 0))
    if notice is None or notice.withdrawn:  # another member of the unit withdrew it meanwhile
        end_conversation(session=ctx.session, user_id=ctx.user.id, form=NAME)
        return Reply(ALREADY_GONE)
    if ctx.user.unit is None or notice.unit_id != ctx.user.unit.id:  # the member was moved to another unit meanwhile
        end_conversation(session=ctx.session, user_id=ctx.user.id, form=NAME)
        return Reply(NOT_YOURS)
    reason = _confirmed_reason(msg.text)
    if normalise(msg.text) == ft.CONTINUE or len(reason or "") > REASON_LIMIT:  # the dispatcher offers 继续 beside other commands
        return Reply(_ask(ctx, notice, REASON_TOO_LONG.format(limit=REASON_LIMIT) if reason else ""))
    end_conversation(session=ctx.session, user_id=ctx.user.id, form=NAME)
    if reason is None:
        return Reply(NOT_WITHDRAWN.format(theme=notice.theme))
    withdraw_notice(session=ctx.session, notice=notice, by=ctx.user.id, at=ctx.clock(), reason=reason)
    tell_office(ctx, notice, nt.WITHDRAWN_TAG, nt.WITHDRAW_REASON.format(reason=reason) if reason else "")
    return Reply(WITHDRAWN.format(theme=notice.theme, when=event_when(ctx, notice)))


def _ask(ctx: Context, notice: Notice, lead: str = "") -> str:
    """The withdrawal question, after `lead` when the previous answer needs a word."""
    return lead + WITHDRAW_ASK.format(theme=notice.theme, when=event_when(ctx, notice))


def _confirmed_reason(text: str) -> str | None:
    """The reason after `确认` ("" for none; "确认：活动延期" and "确认撤回 活动延期" too), or None when not confirmed."""
    text = as_argument(text)
    word = next((w for w in CONFIRM_WORDS if text.startswith(w)), None)
    if word is None:
        return None
    return text.removeprefix(word).lstrip(PUNCTUATION).removeprefix("撤回").strip(PUNCTUATION)


def register(router: Router) -> None:
    router.conversation(NAME, "撤回预告的确认", answer_withdrawal, fleeting=True)
    # A form of its own: a draft open elsewhere is never overwritten by the pending question.
    router.command("撤回预告", who=Audience.MEMBERS, usage="撤回预告 N — 撤回第 N 条预告（需确认）", form=NAME)(withdraw)
