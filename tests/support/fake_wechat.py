"""A fake WeChat official-account API on 127.0.0.1 (plumbing in fake_api.py): token, media/get, customer-service and
template messages.

Customer-service messages reach a follower only within 48 hours of their last message (errcode 45015 after), as
WeChat has it: the simulator (wechat_sim.py) tells this server when each follower last wrote, on the test's clock.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar

from tests.support.fake_api import FakeApi

WINDOW_SECONDS = 48 * 3600
OUT_OF_WINDOW = {"errcode": 45015, "errmsg": "response out of time limit or subscription is canceled"}


@dataclass
class FakeWeChat(FakeApi):
    """Start with `with FakeWeChat(now=...) as wechat:`; `wechat.base_url` ends with /cgi-bin/."""

    TOKEN_PATH: ClassVar[str] = "cgi-bin/token"

    now: Callable[[], float] = time.time
    last_message: dict[str, float] = field(default_factory=dict)  # openid -> when they last wrote (a timestamp)

    def heard_from(self, openid: str) -> None:
        self.last_message[openid] = self.now()

    def texts_to(self, openid: str) -> list[str]:
        """The customer-service texts WeChat showed the follower, in order."""
        return [c.body["text"]["content"] for c in self.calls_to("message/custom/send") if c.ok and c.body["touser"] == openid]

    def templates_to(self, openid: str) -> list[dict]:
        """The template messages WeChat took for the follower: each one's whole body."""
        return [c.body for c in self.calls_to("message/template/send") if c.ok and c.body["touser"] == openid]

    def _route(self, path: str, query: dict, body: dict | None, files: dict) -> dict:
        if path.endswith("message/custom/send"):
            heard = self.last_message.get(body["touser"])
            return OUT_OF_WINDOW if heard is None or self.now() - heard > WINDOW_SECONDS else {"errcode": 0, "errmsg": "ok"}
        if path.endswith("message/template/send"):
            return {"errcode": 0, "errmsg": "ok", "msgid": len(self.calls) + 1}
        return {"errcode": 0, "errmsg": "ok"}
