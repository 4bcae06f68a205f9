"""Wire every command family into a fresh router."""

from __future__ import annotations

from handlers import (
    advance_notice,
    binding,
    chase,
    console,
    export,
    help,
    lookup,
    members,
    notice_withdrawal,
    office,
    progress,
    returns,
    sharing,
    weekly_report,
)
from handlers.router import Router


def build_router(*, wechat: bool = False) -> Router:
    """Every command family; binding to the WeChat official account only when that channel is configured."""
    router = Router()
    for module in (help, weekly_report, sharing, advance_notice, notice_withdrawal, office, chase, returns, lookup, export, progress, members, console):
        module.register(router)
    if wechat:
        binding.register(router)
    return router
