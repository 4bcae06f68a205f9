"""Wire every command family into a fresh router."""

from __future__ import annotations

from handlers import advance_notice, help, weekly_report
from handlers.router import Router


def build_router() -> Router:
    router = Router()
    for module in (help, weekly_report, advance_notice):
        module.register(router)
    return router
