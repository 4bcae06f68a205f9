"""Keyword commands and conversation handlers, registered per app (no import-time registry)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from common.weeks import names_a_week
from handlers.base import Context, Handler, Incoming, Reply
from handlers.forms import engine
from handlers.forms.form import Form
from handlers.words import as_argument, canonical, compact
from storage.conversations import OpenConversation

ConversationHandler = Callable[[Incoming, Context, OpenConversation], Reply | None]
OfferAnswer = Callable[[Incoming, Context, OpenConversation], Reply | None]  # None: the message is no answer, route it as usual


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
    member_usage: str = ""  # the help line of a command for anyone, as a member who is no admin reads it, when it differs


@dataclass(frozen=True)
class Match:
    """A message that names a command, rewritten as the command reads it: its keyword, a space, its arguments."""

    command: Command
    text: str


@dataclass
class Router:
    commands: list[Command] = field(default_factory=list)
    conversations: dict[str, ConversationHandler] = field(default_factory=dict)
    pending: dict[str, str] = field(default_factory=dict)  # what an open conversation is called: 周报草稿
    fleeting: set[str] = field(default_factory=set)  # conversations dropped when the member opens a form
    forms: dict[str, Form] = field(default_factory=dict)
    offers: dict[str, OfferAnswer] = field(default_factory=dict)  # one-message questions, by the name they are stored under
    unfiled: dict[str, Handler] = field(default_factory=dict)  # a link or medium no open draft takes, by kind
    longest_first: list[str] = field(default_factory=list, init=False)  # the commands' keywords, longest first: kept as they register

    def command(
        self, *keywords: str, who: Audience = Audience.MEMBERS, usage: str = "", form: str | None = None, member_usage: str = ""
    ) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.commands.append(Command(keywords, handler, who, usage, form, member_usage))
            self.longest_first = sorted((k for c in self.commands for k in c.keywords), key=len, reverse=True)
            return handler

        return register

    def conversation(self, form: str, pending: str, handler: ConversationHandler, *, fleeting: bool = False) -> None:
        """An open conversation's handler; `pending` names it to the member (周报草稿, 撤回预告的确认).

        A fleeting one (a yes/no question) is dropped when the member opens a form instead of answering it.
        """
        self.conversations[form] = handler
        self.pending[form] = pending
        if fleeting:
            self.fleeting.add(form)

    def form(self, form: Form) -> None:
        """A form's conversation and the commands that open it, one per trigger (for unit members)."""
        self.forms[form.name] = form
        self.conversation(form.name, f"{form.title}草稿", lambda msg, ctx, conversation: engine.handle(form, msg, ctx, conversation))
        for trigger in form.triggers:
            register = self.command(trigger.keyword, *trigger.aliases, who=Audience.MEMBERS, usage=trigger.usage, form=form.name)
            register(lambda msg, ctx: engine.start(form, msg, ctx))

    def offer(self, name: str, answer: OfferAnswer) -> None:
        """A question the bot asked outside any form (stored as a conversation named `name`): the next message answers it or not."""
        self.offers[name] = answer

    def share(self, kind: str, handler: Handler) -> None:
        """What a link, image or video does when no open draft takes it."""
        self.unfiled[kind] = handler

    def takes(self, form: str, kind: str) -> bool:
        """Whether an open draft of `form` keeps a shared message of this kind."""
        return form in self.forms and engine.takes(self.forms[form], kind)

    def opener(self, form: str) -> str:
        """The keyword that opens (and so resumes) a form's draft."""
        return next(c.keywords[0] for c in self.commands if c.form == form)

    def find(self, keyword: str) -> Command | None:
        return next((c for c in self.commands if keyword in c.keywords), None)

    def match(self, text: str) -> Match | None:
        """The command a message names, typed loosely: `周 报`, `“周报”`, `周报。`, `修改预告 ２`, `周报上周`."""
        said = canonical(text)
        keyword, _, args = said.partition(" ")
        command = self.find(keyword)
        if command is not None:
            return Match(command, f"{keyword} {_as_typed(text, args)}".strip())
        return self._glued(compact(text))

    def _glued(self, compact: str) -> Match | None:
        """A keyword written with spaces inside or run into a short argument (a week, a number).

        Only such arguments: a form answer that merely begins with a keyword (`进度良好`) is no command.
        """
        for keyword in self.longest_first:
            rest = compact.removeprefix(keyword)
            if rest != compact and (not rest or _short_argument(rest)):
                return Match(self.find(keyword), f"{keyword} {rest}".strip())
        return None

    def usages_for(self, *, is_admin: bool, is_member: bool) -> list[str]:
        allowed = {Audience.ANYONE} | ({Audience.MEMBERS} if is_member else set()) | ({Audience.ADMINS} if is_admin else set())
        usages = [(c.usage if is_admin else c.member_usage or c.usage) for c in self.commands if c.who in allowed]
        return [usage for usage in usages if usage]


def _as_typed(text: str, args: str) -> str:
    """The arguments as the member typed them (a 退回 reason keeps its ，and ：), when they are the words matched."""
    typed = text.split(maxsplit=1)
    return as_argument(typed[1]) if len(typed) == 2 and canonical(typed[1]) == args else args


def _short_argument(text: str) -> bool:
    """A week (`上周`, `第47周`, `2026-W47`) or a number of at most three digits (`修改预告2`)."""
    return names_a_week(text) or (text.isascii() and text.isdigit() and len(text) <= 3)
