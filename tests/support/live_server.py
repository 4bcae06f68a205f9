"""Real `python -m bot` processes on 127.0.0.1 (CLI, fault, multi-process tests and bench/), and an HTTP client for WeComSim."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import requests

from tests.support.config import EXAMPLE, ROOT

T = TypeVar("T")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_config(
    folder: Path, *, port: int | None = None, db_url: str | None = None, extra: str = "",
    replacements: dict[str, str] | None = None, name: str | None = None, workers: int = 1, threads: int | None = None,
) -> Path:
    """The example config, optionally on another port and database, with `replacements` made and `extra` TOML added.

    `serve` runs `workers` web processes: one unless a test asks for more (test_serve_workers asks for two; the example has four),
    each with `threads` (default: the example's).
    Written to `folder/name`: by default config-<port>.toml when a port is given (one per server), else config.toml.
    """
    text = EXAMPLE.read_text(encoding="utf-8")
    for key, value in {"workers": workers, "threads": threads}.items():
        if value is not None:
            text = re.sub(rf"^{key} = \d+", f"{key} = {value}", text, count=1, flags=re.MULTILINE)
    if port is not None:
        text = text.replace("port = 8080", f"port = {port}")
    if db_url is not None:
        text = text.replace('url = "sqlite:///data/bot.db"', f'url = "{db_url}"')
    for old, new in (replacements or {}).items():
        text = text.replace(old, new)
    path = folder / (name or (f"config-{port}.toml" if port is not None else "config.toml"))
    path.write_text(text + extra, encoding="utf-8")
    return path


def sending_config(folder: Path, fake) -> str:
    """The example config on a database in `folder`, with a secret, so `python -m bot` sends to the fake WeCom server."""
    replacements = {'secret = ""': 'secret = "s"', "https://qyapi.weixin.qq.com/cgi-bin/": fake.base_url}
    return str(write_config(folder, db_url=f"sqlite:///{folder}/bot.db", replacements=replacements))


def bot_environment(**extra: str) -> dict[str, str]:
    """The environment for a `python -m bot` subprocess: this checkout importable, no BOT_CONFIG inherited."""
    environment = {k: v for k, v in os.environ.items() if k != "BOT_CONFIG"}
    environment.update(PYTHONPATH=str(ROOT), **extra)
    return environment


def run_bot(*args: str, cwd: Path, stdin: str = "", env: dict | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    """`python -m bot ARGS` run to its end, its output captured as text."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=cwd, input=stdin, capture_output=True, text=True, env=bot_environment(**(env or {})), timeout=timeout
    )


def poll(probe: Callable[[], T], *, what: str, timeout: float = 30, alive: Callable[[], bool] = lambda: True) -> T:
    """Call `probe` until it returns something truthy, and return that; fail if `alive()` turns false or time runs out."""
    deadline = time.monotonic() + timeout
    while True:
        result = probe()
        if result:
            return result
        if not alive():
            raise RuntimeError(f"gave up waiting for {what}: the process ended")
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not happen within {timeout} s")
        time.sleep(0.05)


def fetch(url: str) -> bytes | None:
    """The body of a 200 answer from `url`, or None while nothing (healthy) listens there."""
    try:
        response = requests.get(url, timeout=1)
    except requests.RequestException:
        return None
    return response.content if response.ok else None


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
    """`python -m bot [--config C] <args>` in the background, with its output kept in a log file.

    Without a config the process finds its own (config.toml in `cwd`, as `serve` does for an operator).
    """

    def __init__(self, config: Path | str | None, *args: str, port: int | None = None, cwd: Path | None = None):
        self.port = port
        folder = cwd or Path(config).parent
        self.log = folder / f"bot-{os.getpid()}-{time.monotonic_ns()}.log"
        command = [sys.executable, "-m", "bot", *(["--config", str(config)] if config else []), *args]
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(command, cwd=folder, env=bot_environment(), stdout=out, stderr=subprocess.STDOUT)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def alive(self) -> bool:
        return self.process.poll() is None

    def wait_healthy(self, timeout: float = 30) -> bytes:
        """Wait until /healthz answers 200 and return its body; fail with the process's output if it never does."""
        try:
            return poll(lambda: fetch(f"{self.base_url}/healthz"), what=f"{self.base_url}/healthz", timeout=timeout, alive=self.alive)
        except (RuntimeError, TimeoutError) as exc:
            raise TimeoutError(f"bot not healthy ({exc}):\n{self.output()}") from None

    @staticmethod
    def wait_url(url: str, timeout: float = 30) -> bytes:
        """Wait until `url` answers 200 (a server starting up) and return the body."""
        return poll(lambda: fetch(url), what=url, timeout=timeout)

    def kill_9(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> int:
        """SIGTERM, then SIGKILL after 10 s; the exit code."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill_9()
        return self.process.returncode

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")
