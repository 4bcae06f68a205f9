"""A fake WeCom HTTP API on 127.0.0.1: records calls, answers like WeCom, and can be told to fail.

Files are uploaded as WeCom takes them (doc 90253 for the app's media/upload, 91770 for a robot's
webhook/upload_media): multipart, field `media`. A media id serves only where it was uploaded: a robot's only
that robot, the app's only the app, as WeCom has it.
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


@dataclass
class Call:
    path: str
    query: dict
    body: dict | None
    raw: bytes
    ok: bool = True  # answered HTTP 200 with errcode 0: WeCom took it
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # a multipart upload's parts: field -> (filename, bytes)


@dataclass(frozen=True)
class FakeFile:
    """A file members sent, served by media/get as WeCom does (doc 90254): bytes with Content-Type and Content-Disposition."""

    content: bytes
    content_type: str = "image/jpeg"
    filename: str = ""  # WeCom names it MEDIA_ID.jpg; "" leaves the header out
    sized: bool = True  # False: no Content-Length, the body ends when the connection closes


@dataclass
class FakeWeCom:
    """Start with `with FakeWeCom() as wecom:`; `wecom.base_url` ends with /cgi-bin/."""

    calls: list[Call] = field(default_factory=list)
    failures: list[tuple[int, dict | None]] = field(default_factory=list)  # (HTTP status, JSON) served first
    delays: list[float] = field(default_factory=list)  # seconds before answering, one per call: the call is received at once
    latency: float = 0.0  # seconds before answering every call (after its delay), as a distant WeCom takes
    outages: dict[str, tuple[int, dict | None]] = field(default_factory=dict)  # path?query part -> answer, while set
    token_rejections: int = 0  # answer 42001 this many times, as if the token expired
    names: dict[str, str] = field(default_factory=dict)  # the directory user/get reads: userid -> name
    files: dict[str, FakeFile] = field(default_factory=dict)  # media/get by media_id; an unknown id is answered 40007
    port: int = 0  # 0: any free port; give the old one to bring a stopped server back
    media: dict[str, tuple[str, str, bytes]] = field(default_factory=dict)  # media id -> (robot key or "app", filename, bytes)
    most_at_once: int = 0  # the most calls being answered at the same time, gettoken left out
    _in_flight: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __enter__(self) -> FakeWeCom:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                fake._serve(self, b"")

            def do_POST(self):
                fake._serve(self, self.rfile.read(int(self.headers.get("Content-Length") or 0)))

            def log_message(self, *args):
                pass

        self.server = _Server(("127.0.0.1", self.port), Handler)
        self.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/cgi-bin/"

    def robot_url(self, key: str) -> str:
        return f"{self.base_url}webhook/send?key={key}"

    def calls_to(self, endpoint: str) -> list[Call]:
        return [c for c in self.calls if c.path.endswith(endpoint)]

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
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        files = _multipart(handler.headers.get("Content-Type", ""), raw)
        status, payload = self._answer(url.path, raw, handler.path, query)
        if status == 200 and isinstance(payload, dict) and not payload.get("errcode"):
            payload = self._media(url.path, query, files, _json_or_none(raw)) or payload
        if not url.path.endswith("gettoken"):
            ok = status == 200 and (isinstance(payload, FakeFile) or not payload.get("errcode"))
            self.calls.append(Call(url.path, query, _json_or_none(raw), raw, ok, files))
            self._answer_late(self.delays.pop(0) if self.delays else 0)
        headers, body = _headers_and_body(payload)
        try:
            handler.send_response(status)
            for name, value in headers.items():
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (a delayed answer, a file too big to read): WeCom sent it all the same

    def _answer_late(self, delay: float) -> None:
        """Wait as WeCom would before answering, counting the calls waiting at once."""
        with self._lock:
            self._in_flight += 1
            self.most_at_once = max(self.most_at_once, self._in_flight)
        time.sleep(delay + self.latency)
        with self._lock:
            self._in_flight -= 1

    def _answer(self, path: str, raw: bytes, path_and_query: str, query: dict) -> tuple[int, dict | FakeFile]:
        if path.endswith("gettoken"):
            return 200, {"errcode": 0, "access_token": "TOKEN", "expires_in": 7200}
        down = next((answer for part, answer in self.outages.items() if part in path_and_query), None)
        if down is not None:
            return down[0], down[1] or {}
        if self.failures:
            status, payload = self.failures.pop(0)
            return status, payload or {}
        if self.token_rejections and not path.endswith("webhook/send"):
            self.token_rejections -= 1
            return 200, {"errcode": 42001, "errmsg": "access_token expired"}
        if path.endswith("user/get"):
            return 200, self._user(parse_qs(urlparse(path_and_query).query).get("userid", [""])[0])
        if path.endswith("media/get"):
            return 200, self.files.get(query.get("media_id", ""), {"errcode": 40007, "errmsg": "invalid media_id"})
        return 200, {"errcode": 0, "errmsg": "ok"}

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


class _Server(ThreadingHTTPServer):
    request_queue_size = 128  # the standard 5 would make concurrent senders' connections wait for SYN retries


def _multipart(content_type: str, raw: bytes) -> dict[str, tuple[str, bytes]]:
    """The parts of a multipart/form-data body: field name -> (filename, bytes); {} for any other body."""
    boundary = re.search(r"boundary=\"?([^\";]+)", content_type) if content_type.startswith("multipart/form-data") else None
    if boundary is None:
        return {}
    parts = {}
    for part in raw.split(b"--" + boundary.group(1).encode())[1:-1]:
        head, _, content = part.partition(b"\r\n\r\n")
        disposition = head.decode()
        name, filename = re.search(r'\bname="([^"]*)"', disposition), re.search(r'\bfilename="([^"]*)"', disposition)
        parts[name.group(1)] = (filename.group(1) if filename else "", content.removesuffix(b"\r\n"))
    return parts


def _headers_and_body(payload: dict | FakeFile) -> tuple[dict, bytes]:
    """A file as media/get serves it; anything else as JSON."""
    if not isinstance(payload, FakeFile):
        body = json.dumps(payload).encode()
        return {"Content-Type": "application/json", "Content-Length": str(len(body))}, body
    headers = {"Content-Type": payload.content_type}
    if payload.filename:
        headers["Content-disposition"] = f'attachment; filename="{payload.filename}"'
    if payload.sized:
        headers["Content-Length"] = str(len(payload.content))
    return headers, payload.content


def _json_or_none(raw: bytes) -> dict | None:
    try:
        return json.loads(raw) if raw else None
    except (ValueError, UnicodeDecodeError):
        return None
