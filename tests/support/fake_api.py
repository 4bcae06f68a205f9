"""The plumbing of the fake Tencent APIs on 127.0.0.1 (WeCom's in fake_wecom.py, the official account's in fake_wechat.py).

A threaded HTTP server that records each call, answers a token request, serves files by media id, and can be
told to fail: canned failures served first, delays, outages of one endpoint, tokens rejected as expired.
What each API answers to the rest is its subclass's `_route`.
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import parse_qs, urlparse


@dataclass
class Call:
    path: str
    query: dict
    body: dict | None
    raw: bytes
    ok: bool = True  # answered HTTP 200 with errcode 0: the API took it
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # a multipart upload's parts: field -> (filename, bytes)


@dataclass(frozen=True)
class FakeFile:
    """A file members sent, served by media/get as Tencent does (WeCom doc 90254): bytes with Content-Type and Content-Disposition."""

    content: bytes
    content_type: str = "image/jpeg"
    filename: str = ""  # Tencent names it MEDIA_ID.jpg; "" leaves the header out
    sized: bool = True  # False: no Content-Length, the body ends when the connection closes


@dataclass
class FakeApi:
    """Start with `with FakeX() as api:`; `api.base_url` ends with /cgi-bin/."""

    TOKEN_PATH: ClassVar[str] = "token"  # the endpoint that hands out access tokens, left out of `calls`
    UNTOKENED: ClassVar[tuple[str, ...]] = ()  # endpoints that take no access token, so never reject one

    calls: list[Call] = field(default_factory=list)
    failures: list[tuple[int, dict | None]] = field(default_factory=list)  # (HTTP status, JSON) served first
    delays: list[float] = field(default_factory=list)  # seconds before answering, one per call: the call is received at once
    latency: float = 0.0  # seconds before answering every call (after its delay), as a distant API takes
    outages: dict[str, tuple[int, dict | None]] = field(default_factory=dict)  # path?query part -> answer, while set
    token_rejections: int = 0  # answer 42001 this many times, as if the token expired
    files: dict[str, FakeFile] = field(default_factory=dict)  # media/get by media_id; an unknown id is answered 40007
    port: int = 0  # 0: any free port; give the old one to bring a stopped server back
    most_at_once: int = 0  # the most calls being answered at the same time, token requests left out
    _in_flight: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __enter__(self):
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

    def calls_to(self, endpoint: str) -> list[Call]:
        return [c for c in self.calls if c.path.endswith(endpoint)]

    def _serve(self, handler: BaseHTTPRequestHandler, raw: bytes) -> None:
        url = urlparse(handler.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        files = _multipart(handler.headers.get("Content-Type", ""), raw)
        body = _json_or_none(raw)
        status, payload = self._answer(url.path, handler.path, query, body, files)
        if not url.path.endswith(self.TOKEN_PATH):
            ok = status == 200 and (isinstance(payload, FakeFile) or not payload.get("errcode"))
            self.calls.append(Call(url.path, query, body, raw, ok, files))
            self._answer_late(self.delays.pop(0) if self.delays else 0)
        headers, content = _headers_and_body(payload)
        try:
            handler.send_response(status)
            for name, value in headers.items():
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(content)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (a delayed answer, a file too big to read): the API acted all the same

    def _answer_late(self, delay: float) -> None:
        """Wait as the API would before answering, counting the calls waiting at once."""
        with self._lock:
            self._in_flight += 1
            self.most_at_once = max(self.most_at_once, self._in_flight)
        time.sleep(delay + self.latency)
        with self._lock:
            self._in_flight -= 1

    def _answer(self, path: str, path_and_query: str, query: dict, body: dict | None, files: dict) -> tuple[int, dict | FakeFile]:
        if path.endswith(self.TOKEN_PATH):
            return 200, {"errcode": 0, "access_token": "TOKEN", "expires_in": 7200}
        down = next((answer for part, answer in self.outages.items() if part in path_and_query), None)
        if down is not None:
            return down[0], down[1] or {}
        if self.failures:
            status, payload = self.failures.pop(0)
            return status, payload or {}
        if self.token_rejections and not path.endswith(self.UNTOKENED):
            self.token_rejections -= 1
            return 200, {"errcode": 42001, "errmsg": "access_token expired"}
        if path.endswith("media/get"):
            return 200, self.files.get(query.get("media_id", ""), {"errcode": 40007, "errmsg": "invalid media_id"})
        return 200, self._route(path, query, body, files)

    def _route(self, path: str, query: dict, body: dict | None, files: dict) -> dict:
        """The API's answer to a call that got through (no failure, outage or token rejection served instead)."""
        return {"errcode": 0, "errmsg": "ok"}


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
