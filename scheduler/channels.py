"""How each kind of outbox push reaches WeCom or WeChat, and which rate limits pace it.

The sender (scheduler.delivery) looks a row's kind up here and knows nothing else of it: a new kind of
push (another channel's messages) is a Kind in storage.models and an entry in CHANNELS.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from common.messenger import Messenger
from scheduler.pacing import FOLLOWER, MEMBER, ROBOT, Pacing
from storage.models import Kind, OutboxMessage


def _members(target: str) -> list[str]:
    return target.split("|")


@dataclass(frozen=True)
class Channel:
    """How one kind of push reaches WeCom: the call for one part, whom it counts against, and their limits.

    `send(messenger, row, part, mention)`: one message; a file's one part is its name. `recipients` of the
    row's target are those the pacing counts (a group; each member of an app message). A `whole` push (a WeChat
    template's values) is one message, never split and never marked （重发）: the template's fields have no room for it.
    """

    send: Callable[[Messenger, OutboxMessage, str, Sequence[str]], None]
    pacing: Pacing
    recipients: Callable[[str], list[str]] = lambda target: [target]
    file: bool = False
    whole: bool = False


CHANNELS: dict[Kind, Channel] = {
    Kind.GROUP: Channel(lambda messenger, row, part, mention: messenger.send_to_group(row.target, part, mention), ROBOT),
    Kind.GROUP_FILE: Channel(lambda messenger, row, part, _: messenger.send_file_to_group(row.target, part, row.content), ROBOT, file=True),
    Kind.USERS: Channel(lambda messenger, row, part, _: messenger.send_to_users(_members(row.target), part), MEMBER, _members),
    Kind.FILE: Channel(lambda messenger, row, part, _: messenger.send_file(row.target, part, row.content), MEMBER, file=True),
    Kind.FOLLOWER: Channel(lambda messenger, row, part, _: messenger.send_to_follower(row.target, part), FOLLOWER),
    Kind.TEMPLATE: Channel(lambda messenger, row, part, _: messenger.send_template(row.target, part, key=row.key), FOLLOWER, whole=True),
}
