"""The 帮助 keyword."""

from __future__ import annotations

from handlers.base import Context, Incoming, Reply
from handlers.dispatcher import help_reply
from handlers.router import Audience, Router


def register(router: Router) -> None:
    @router.command("帮助", "help", "?", "？", who=Audience.ANYONE, usage="帮助 — 查看可用指令")
    def show_help(msg: Incoming, ctx: Context) -> Reply:
        return help_reply(router, ctx.user)
