"""Readable conversations in tests: `chat.say("周报") -> reply text`, through the encrypted webhook."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from storage.models import Conversation
from tests.support.wecom_sim import WeComSim

THEME, MEDIA, LIAISON = "涉民生案件集中执行行动", "西双版纳电视台", "李华 13800138000"
# What a member types for the first four fields (summary, measures, practices, effects).
TYPED_ANSWERS = ("本周开展集中执行行动 2 次", "联合州电视台开展执行直播", "执行干警现场讲解", "直播观看 2.3 万人次")
ARTICLE = ("5", "景洪法院集中清理涉民生案件", "https://mp.weixin.qq.com/s/abc123")  # type, title, link


@dataclass
class Chat:
    wecom: WeComSim
    user: str

    def say(self, text: str) -> str:
        return self.wecom.say(self.user, text)

    def share(self, title: str, url: str) -> str:
        """Share an article from WeChat (a link message)."""
        return self.wecom.share(self.user, title, url)

    def send_media(self, media_id: str, kind: str = "image") -> str:
        """Send an image (or a video) that WeCom keeps under `media_id`."""
        return self.wecom.send_media(self.user, kind, media_id)

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


def fill_until_summary(chat: Chat, contact: str = "李华", phone: str = "13800138000") -> str:
    chat.say("周报")
    chat.say_all(*TYPED_ANSWERS)
    chat.say("跳过")  # 其他
    chat.say_all(*ARTICLE)
    chat.say("完成")
    chat.say(contact)
    return chat.say(phone)


def stored(bot, model) -> list:
    """Every stored row of `model`."""
    with Session(bot.engine) as session:
        return session.exec(select(model)).all()


def draft(bot, user: str = "jh1", form: str | None = None) -> dict | None:
    """The state of the user's draft of `form` (by default the one touched last), or None."""
    with Session(bot.engine) as session:
        rows = session.exec(select(Conversation).where(Conversation.user_id == user).order_by(Conversation.updated_at.desc())).all()
        row = next((r for r in rows if form in (None, r.form)), None)
        return row.state if row else None
