"""Real `python -m bot` processes on 127.0.0.1 for fault and multi-process tests, and an HTTP client for WeComSim."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "config.example.toml"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_config(folder: Path, *, port: int, db_url: str, extra: str = "") -> Path:
    """The example config on another port and database, plus any extra TOML."""
    text = EXAMPLE.read_text(encoding="utf-8").replace("port = 8080", f"port = {port}")
    text = text.replace('url = "sqlite:///data/bot.db"', f'url = "{db_url}"')
    path = folder / f"config-{port}.toml"
    path.write_text(text + extra, encoding="utf-8")
    return path


@dataclass
class Response:
    status_code: int
    body: bytes

    def get_data(self, as_text: bool = False):
        return self.body.decode() if as_text else self.body


class HttpClient:
    """Speaks like Flask's test client (post/get with query_string and data) over real HTTP."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.session = requests.Session()

    def post(self, path: str, query_string=None, data=b""):
        response = self.session.post(self.base_url + path, params=query_string, data=data, timeout=10)
        return Response(response.status_code, response.content)

    def get(self, path: str, query_string=None):
        response = self.session.get(self.base_url + path, params=query_string, timeout=10)
        return Response(response.status_code, response.content)


class BotProcess:
    """`python -m bot --config C <args>` in the background, with its output kept in a log file."""

    def __init__(self, config: Path, *args: str, port: int | None = None):
        self.port = port
        self.log = config.with_suffix(f".{os.getpid()}.{time.monotonic_ns()}.log")
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot", "--config", str(config), *args], cwd=config.parent, env=env, stdout=out, stderr=subprocess.STDOUT
            )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_healthy(self, timeout: float = 30) -> None:
        if not self.wait_url(f"{self.base_url}/healthz", timeout, alive=lambda: self.process.poll() is None):
            raise TimeoutError(f"bot not healthy:\n{self.output()}")

    @staticmethod
    def wait_url(url: str, timeout: float = 30, alive=lambda: True) -> bool:
        """Poll until `url` answers 200 (a server starting up), the process dies, or time runs out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and alive():
            try:
                if requests.get(url, timeout=1).ok:
                    return True
            except requests.RequestException:
                time.sleep(0.05)
        return False

    def kill_9(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill_9()

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")
