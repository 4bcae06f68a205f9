"""Readable conversations in tests: `chat.say("周报") -> reply text`, through the encrypted webhook."""

from __future__ import annotations

from dataclasses import dataclass

from tests.support.wecom_sim import WeComSim


@dataclass
class Chat:
    wecom: WeComSim
    user: str

    def say(self, text: str) -> str:
        return self.wecom.say(self.user, text)

    def say_all(self, *texts: str) -> str:
        """Send several messages; the last reply is returned."""
        reply = ""
        for text in texts:
            reply = self.say(text)
        return reply
