"""Wire every command family into a fresh router."""

from __future__ import annotations

from handlers import (
    advance_notice,
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


def build_router() -> Router:
    router = Router()
    for module in (help, weekly_report, sharing, advance_notice, notice_withdrawal, office, chase, returns, lookup, export, progress, members, console):
        module.register(router)
    return router
