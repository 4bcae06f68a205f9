"""What a command reports to the operator as one line instead of a traceback, and the exit status it ends with."""

from __future__ import annotations


class CommandError(Exception):
    """A command the bot cannot act on as given (a moment beyond the calendar): exit 2, like a config error."""

    exit_status = 2


class StartupError(CommandError):
    """The bot cannot start here: its database cannot be reached or opened, or its port cannot be listened on."""

    exit_status = 1
