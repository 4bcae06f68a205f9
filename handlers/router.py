"""Keyword commands and conversation handlers, registered per app (no import-time registry)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from handlers.base import Context, Handler, Incoming, Reply
from storage.conversations import OpenConversation

ConversationHandler = Callable[[Incoming, Context, OpenConversation], Reply | None]



class Audience(Enum):
    """Who may use a command: anyone who can talk to the bot, unit members, or office admins."""

    ANYONE = "anyone"
    MEMBERS = "members"
    ADMINS = "admins"


@dataclass(frozen=True)
class Command:
    keywords: tuple[str, ...]
    handler: Handler
    who: Audience
    usage: str  # one help line, e.g. "周报 — 填报本周执行宣传工作周报"
    form: str | None = None  # the form this command opens, if any


@dataclass
class Router:
    commands: list[Command] = field(default_factory=list)
    conversations: dict[str, ConversationHandler] = field(default_factory=dict)
    form_titles: dict[str, str] = field(default_factory=dict)

    def command(
        self, *keywords: str, who: Audience = Audience.MEMBERS, usage: str = "", form: str | None = None
    ) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.commands.append(Command(keywords, handler, who, usage, form))
            return handler

        return register

    def conversation(self, form: str, title: str, handler: ConversationHandler) -> None:
        self.conversations[form] = handler
        self.form_titles[form] = title

    def find(self, keyword: str) -> Command | None:
        return next((c for c in self.commands if keyword in c.keywords), None)

    def usages_for(self, *, is_admin: bool, is_member: bool) -> list[str]:
        allowed = {Audience.ANYONE} | ({Audience.MEMBERS} if is_member else set()) | ({Audience.ADMINS} if is_admin else set())
        return [c.usage for c in self.commands if c.usage and c.who in allowed]
