"""A fake WeCom HTTP API on 127.0.0.1: records calls, answers like WeCom, and can be told to fail."""

from __future__ import annotations

import json
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


@dataclass
class FakeWeCom:
    """Start with `with FakeWeCom() as wecom:`; `wecom.base_url` ends with /cgi-bin/."""

    calls: list[Call] = field(default_factory=list)
    failures: list[tuple[int, dict | None]] = field(default_factory=list)  # (HTTP status, JSON) served first
    delays: list[float] = field(default_factory=list)  # seconds before answering, one per call: the call is received at once
    outages: dict[str, tuple[int, dict | None]] = field(default_factory=dict)  # path?query part -> answer, while set
    token_rejections: int = 0  # answer 42001 this many times, as if the token expired
    names: dict[str, str] = field(default_factory=dict)  # the directory user/get reads: userid -> name
    port: int = 0  # 0: any free port; give the old one to bring a stopped server back

    def __enter__(self) -> FakeWeCom:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                fake._serve(self, b"")

            def do_POST(self):
                fake._serve(self, self.rfile.read(int(self.headers.get("Content-Length") or 0)))

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
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
        return [post["text"]["content"] for post in self.robot_posts(key)]

    def looked_up(self) -> list[str]:
        """The userids asked of user/get, in order."""
        return [c.query["userid"] for c in self.calls_to("user/get")]

    def _serve(self, handler: BaseHTTPRequestHandler, raw: bytes) -> None:
        url = urlparse(handler.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        status, payload = self._answer(url.path, raw, handler.path)
        if not url.path.endswith("gettoken"):
            self.calls.append(Call(url.path, query, _json_or_none(raw), raw, status == 200 and not (payload or {}).get("errcode")))
            time.sleep(self.delays.pop(0) if self.delays else 0)
        body = json.dumps(payload or {}).encode()
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (a delayed answer): WeCom has the message all the same

    def _answer(self, path: str, raw: bytes, path_and_query: str) -> tuple[int, dict]:
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
        if path.endswith("media/upload"):
            return 200, {"errcode": 0, "type": "file", "media_id": "MEDIA1", "created_at": "1"}
        if path.endswith("user/get"):
            return 200, self._user(parse_qs(urlparse(path_and_query).query).get("userid", [""])[0])
        return 200, {"errcode": 0, "errmsg": "ok"}

    def _user(self, user_id: str) -> dict:
        """user/get as WeCom answers a self-built app since 2022-06-20: the name, no mobile (doc 90196)."""
        if user_id not in self.names:
            return {"errcode": 60111, "errmsg": "invalid string value `userid`"}
        return {"errcode": 0, "errmsg": "ok", "userid": user_id, "name": self.names[user_id], "department": [1], "status": 1}


def _json_or_none(raw: bytes) -> dict | None:
    try:
        return json.loads(raw) if raw else None
    except (ValueError, UnicodeDecodeError):
        return None
