"""Helpers for the delivery tests: a sleep that only moves the fake clock, the outbox rows."""

from __future__ import annotations

from sqlmodel import Session, select

from common.clock import FakeClock
from storage.models import OutboxMessage


class FakeSleep:
    """Records each wait and moves the fake clock by it, so nothing really sleeps."""

    def __init__(self, clock: FakeClock):
        self.clock = clock
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.clock.advance(seconds=seconds)


def outbox(bot) -> list[OutboxMessage]:
    with Session(bot.engine) as session:
        return list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all())
