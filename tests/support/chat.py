"""Readable conversations in tests: `chat.say("周报") -> reply text`, through the encrypted webhook."""

from __future__ import annotations

from dataclasses import dataclass

from tests.support.wecom_sim import WeComSim

THEME, MEDIA, LIAISON = "涉民生案件集中执行行动", "西双版纳电视台", "李华 13800138000"


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


def notify(chat: Chat, when: str, channels: str = "1,3") -> str:
    """A whole advance notice (预告) for an event at `when`, confirmed; the receipt."""
    chat.say("预告")
    chat.say_all(THEME, when, channels, MEDIA, LIAISON)
    chat.say("跳过")
    return chat.say("确认")
