"""What the office admins are told when pushes keep failing or are given up: app messages through the outbox.

They go to the admins as app messages (https://developer.work.weixin.qq.com/document/path/90236), a
channel apart from the group robots (https://developer.work.weixin.qq.com/document/path/91770), which
are what usually fails. Their keys make one message of many failures: one per outage, one per target and day.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from storage.models import Kind, OutboxMessage
from storage.outbox import Push, push_key

ALERT = "alert"
PREFIX = f"{ALERT}:"  # of these pushes' keys: their own failures alert no one, or a broken app channel would feed itself
DELAYED = "【推送延迟】企业微信推送已连续失败超过1小时（{error}）。消息已保存，恢复后自动补发，请勿重复操作。"
GIVEN_UP = "【推送失败】发往“{target}”的推送（{key}）已停止重试：{error}。请联系系统管理员处理。"


def is_alert(row: OutboxMessage) -> bool:
    """Whether the row is one of these alerts."""
    return row.key.startswith(PREFIX)


def delayed(*, outage: int, admins: Sequence[str], error: str) -> list[Push]:
    """The alert of an outage, keyed by its oldest failing row (`outage`), which every row failing meanwhile shares."""
    return _to_admins(push_key(ALERT, "delayed", outage), admins, DELAYED.format(error=error))


def given_up(*, row: OutboxMessage, admins: Sequence[str], error: str, now: datetime) -> list[Push]:
    """The alert of a push given up, one per target and day: a broken robot key fails every push to its group."""
    day = now.astimezone(UTC).date()
    text = GIVEN_UP.format(target=row.target, key=row.key, error=error)
    return _to_admins(push_key(ALERT, "given-up", row.target, day), admins, text)


def _to_admins(key: str, admins: Sequence[str], text: str) -> list[Push]:
    return [Push(key, Kind.USERS, "|".join(admins), text)] if admins else []
