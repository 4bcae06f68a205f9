"""A fake WeCom HTTP API on 127.0.0.1: records calls, answers like WeCom, and can be told to fail (see fake_api.py).

Files are uploaded as WeCom takes them (doc 90253 for the app's media/upload, 91770 for a robot's
webhook/upload_media): multipart, field `media`. A media id serves only where it was uploaded: a robot's only
that robot, the app's only the app, as WeCom has it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import ClassVar
from urllib.parse import parse_qs, urlencode, urlparse

from tests.support.fake_api import Call, FakeApi


@dataclass
class FakeWeCom(FakeApi):
    """Start with `with FakeWeCom() as wecom:`; `wecom.base_url` ends with /cgi-bin/."""

    TOKEN_PATH: ClassVar[str] = "gettoken"
    UNTOKENED: ClassVar[tuple[str, ...]] = ("webhook/send",)  # a group robot's key is its credential

    names: dict[str, str] = field(default_factory=dict)  # the directory user/get reads: userid -> name
    media: dict[str, tuple[str, str, bytes]] = field(default_factory=dict)  # media id -> (robot key or "app", filename, bytes)
    signed_in: str = ""  # who WeCom's browser is signed in as: the authorize page hands out codes for this userid
    codes: dict[str, str] = field(default_factory=dict)  # web authorisation codes not yet used -> userid (single-use, doc 91023)

    @property
    def authorize_url(self) -> str:
        """WeCom's web authorisation page (open.weixin.qq.com/connect/oauth2/authorize) on this server."""
        return f"http://127.0.0.1:{self.port}/connect/oauth2/authorize"

    def robot_url(self, key: str) -> str:
        return f"{self.base_url}webhook/send?key={key}"

    def robot_posts(self, key: str) -> list[dict]:
        """What was posted to the group robot with this webhook key, in order."""
        return [c.body for c in self.calls_to("webhook/send") if c.query["key"] == key]

    def robot_texts(self, key: str) -> list[str]:
        return [post["text"]["content"] for post in self.robot_posts(key) if post["msgtype"] == "text"]

    def robot_files(self, key: str) -> list[tuple[str, bytes]]:
        """The files WeCom showed in the robot's group: (filename, bytes) of each file message it took, in order."""
        sent = [c.body for c in self.calls_to("webhook/send") if c.ok and c.query["key"] == key and c.body["msgtype"] == "file"]
        return [self.media[body["file"]["media_id"]][1:] for body in sent]

    def appchat_files(self, chat_id: str) -> list[tuple[str, bytes]]:
        """The files WeCom showed in the app group chat: (filename, bytes) of each file message it took, in order."""
        sent = [c.body for c in self.calls_to("appchat/send") if c.ok and c.body["chatid"] == chat_id and c.body["msgtype"] == "file"]
        return [self.media[body["file"]["media_id"]][1:] for body in sent]

    def looked_up(self) -> list[str]:
        """The userids asked of user/get, in order."""
        return [c.query["userid"] for c in self.calls_to("user/get")]

    def _serve(self, handler: BaseHTTPRequestHandler, raw: bytes) -> None:
        url = urlparse(handler.path)
        if url.path.endswith("oauth2/authorize"):
            self._authorize(handler, {k: v[0] for k, v in parse_qs(url.query).items()})
            return
        super()._serve(handler, raw)

    def _authorize(self, handler: BaseHTTPRequestHandler, query: dict) -> None:
        """The authorize page inside WeCom (doc 91022): straight back to redirect_uri with a fresh code and the state given."""
        code = f"CODE{len(self.codes) + len(self.calls)}"
        self.codes[code] = self.signed_in
        self.calls.append(Call("/connect/oauth2/authorize", query, None, b""))
        back = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query.get('state', '')})}"
        handler.send_response(302)
        handler.send_header("Location", back)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    def _route(self, path: str, query: dict, body: dict | None, files: dict) -> dict:
        if path.endswith("user/get"):
            return self._user(query.get("userid", ""))
        if path.endswith("auth/getuserinfo"):
            user_id = self.codes.pop(query.get("code", ""), None)
            return {"errcode": 0, "errmsg": "ok", "userid": user_id} if user_id else {"errcode": 40029, "errmsg": "invalid code"}
        return self._media(path, query, files, body) or {"errcode": 0, "errmsg": "ok"}

    def _user(self, user_id: str) -> dict:
        """user/get as WeCom answers a self-built app since 2022-06-20: the name, no mobile (doc 90196)."""
        if user_id not in self.names:
            return {"errcode": 60111, "errmsg": "invalid string value `userid`"}
        return {"errcode": 0, "errmsg": "ok", "userid": user_id, "name": self.names[user_id], "department": [1], "status": 1}

    def _media(self, path: str, query: dict, files: dict, body: dict | None) -> dict | None:
        """An upload's answer (its new media id), or errcode 40007 for a file message whose media id this sender never uploaded."""
        owner = query.get("key", "app")
        if path.endswith(("media/upload", "webhook/upload_media")):
            if "media" not in files or query.get("type") != "file":
                return {"errcode": 40004, "errmsg": "invalid media type"}
            media_id = f"MEDIA{len(self.media) + 1}"
            self.media[media_id] = (owner, *files["media"])
            return {"errcode": 0, "errmsg": "ok", "type": "file", "media_id": media_id, "created_at": "1380000000"}
        if body and body.get("msgtype") == "file" and self.media.get(body["file"]["media_id"], ("",))[0] != owner:
            return {"errcode": 40007, "errmsg": "invalid media_id"}
        return None
