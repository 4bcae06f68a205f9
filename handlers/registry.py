"""Wire every command family into a fresh router."""

from __future__ import annotations

from handlers import export, help, lookup, members, office, progress
from handlers.router import Router


def build_router() -> Router:
    router = Router()
    for module in (help, office, lookup, export, progress, members):
        module.register(router)
    return router
