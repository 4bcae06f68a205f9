"""What members share outside a weekly draft: a link is offered to this week's report, an image or video is not kept.

Inside a weekly draft the engine keeps both (a link in 稿件, media as 素材: weekly_report, materials).
"""

from __future__ import annotations

from handlers.base import Context, Incoming, Reply
from handlers.forms import engine
from handlers.forms.shown import shorten
from handlers.materials import KINDS
from handlers.router import Router
from handlers.weekly_report import EDIT, WEEKLY
from handlers.words import compact
from storage.conversations import OpenConversation, save_conversation

OFFER = "link_offer"
ASK = "收到稿件「{title}」，要加入本周周报吗？回复 是 加入。"
NOT_KEPT = "{kind}未保存：填写周报时发送的图片、视频才会作为素材附在周报。请先发送 周报，再重新发送{kind}。"
ACCEPT_WORDS = ("是", "是的", "好", "好的", "加入", "确认", "确定", "可以")


def offer_link(msg: Incoming, ctx: Context) -> Reply:
    """A shared article with no weekly draft open: asked once whether it goes into this week's report."""
    state = {"title": msg.title, "url": msg.url}
    save_conversation(session=ctx.session, user_id=ctx.user.id, form=OFFER, state=state, now=ctx.clock())
    return Reply(ASK.format(title=shorten(msg.title or msg.url, 40)))


def answer_offer(msg: Incoming, ctx: Context, offer: OpenConversation) -> Reply | None:
    """是 opens this week's report (its revision, when already sent) with the article in 稿件; anything else is no answer."""
    if msg.kind != "text" or compact(msg.text) not in ACCEPT_WORDS:
        return None
    shared = Incoming(msg.user_id, kind="link", title=offer.state.get("title", ""), url=offer.state.get("url", ""))
    return engine.start(WEEKLY, Incoming(msg.user_id, EDIT), ctx, shared=shared)  # 修改: a week already sent opens its revision


def media_not_kept(msg: Incoming, ctx: Context) -> Reply:
    return Reply(NOT_KEPT.format(kind=KINDS[msg.kind]))


def register(router: Router) -> None:
    router.share("link", offer_link)
    router.offer(OFFER, answer_offer)
    for kind in KINDS:
        router.share(kind, media_not_kept)
