"""The office console: a small web view of the reporting, served by the bot's Flask app (see access and pages)."""

from bot.console import actions, pages  # noqa: F401  (they register their routes on the blueprint)
from bot.console.access import blueprint

__all__ = ["blueprint"]
