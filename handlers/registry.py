"""Wire every command family into a fresh router."""

from __future__ import annotations

from handlers import help, lookup, office
from handlers.router import Router


def build_router() -> Router:
    router = Router()
    for module in (help, office, lookup):
        module.register(router)
    return router
