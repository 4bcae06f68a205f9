"""A form as data: its fields and the few hooks that make it a weekly report or a notice, and the commands that open it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from handlers.base import Context, Incoming
from handlers.forms.draft import Draft
from handlers.forms.fields import Field, Repeat
from handlers.forms.versions import VersionOf


@dataclass(frozen=True)
class Trigger:
    """A command that opens the form, with its help line and other words for it."""

    keyword: str
    usage: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Form:
    """A form as data: its fields plus the few hooks that make it a weekly report or a notice.

    `begin` returns the new draft's meta (it may carry "answers": a revision starts from them) or raises Refusal.
    `attach` keeps an image or video sent during the draft (素材) and says so; a form without it takes none.
    """

    name: str
    title: str
    triggers: tuple[Trigger, ...]
    fields: tuple[Field | Repeat, ...]
    begin: Callable[[Incoming, Context], dict]
    heading: Callable[[dict], str]
    complete: Callable[[Context, Draft], str]  # stores the answers; returns the receipt
    summary_note: Callable[[Context, Draft], str] = lambda ctx, draft: ""
    opening_note: Callable[[Context, dict], str] = lambda ctx, meta: ""  # a line under a new draft's first words
    recheck: Callable[[Context, Draft], str | None] = lambda ctx, draft: None  # at confirm: a refusal (may amend the draft)
    version: VersionOf | None = None  # the stored versions a draft may start from (see versions.py)
    attach: Callable[[Context, Draft, Incoming], str] | None = None

    @property
    def keywords(self) -> tuple[str, ...]:
        return tuple(word for trigger in self.triggers for word in (trigger.keyword, *trigger.aliases))
