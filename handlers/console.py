"""控制台: a one-time link into the office console in the browser (admins see every unit, a member their own unit)."""

from __future__ import annotations

from handlers.base import Context, Incoming, Reply
from handlers.router import Audience, Router
from reports.links import login_link
from storage.console import LINK_LIFETIME, issue_login

USAGE = "控制台 — 在浏览器中查看报送情况、时效、进度和预告"
MEMBER_USAGE = "控制台 — 在浏览器中查看本单位报送情况"
LINK = "控制台登录链接（{minutes} 分钟内有效，仅可使用一次，请勿转发）：\n{url}"
NOT_CONFIGURED_ADMIN = "控制台尚未配置：请在配置文件 [server] public_url 填写本服务的访问地址（如 https://bot.example.gov.cn）。"
NOT_CONFIGURED = "控制台尚未开通，请联系中院办公室。"


def register(router: Router) -> None:
    router.command("控制台", who=Audience.ANYONE, usage=USAGE, member_usage=MEMBER_USAGE)(open_console)


def open_console(msg: Incoming, ctx: Context) -> Reply:
    public_url = ctx.config.server.public_url
    if not public_url:
        return Reply(NOT_CONFIGURED_ADMIN if ctx.user.is_admin else NOT_CONFIGURED)
    token = issue_login(session=ctx.session, user_id=ctx.user.id, now=ctx.clock())
    minutes = int(LINK_LIFETIME.total_seconds() // 60)
    return Reply(LINK.format(minutes=minutes, url=login_link(public_url, token)))
