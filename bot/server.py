"""The web server `serve` runs: waitress, on one port shared by `[server] workers` processes.

Each process opens its own listening socket with SO_REUSEPORT on the same address and the kernel spreads
new connections among them: no process in front, nothing shared but the database. The process started
by the operator (the one with the scheduler) starts the others and stops them when it ends; each of those
also ends by itself when it finds its starter gone, however that went.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import waitress

from bot.errors import StartupError
from common.config import Config, ServerConfig

log = logging.getLogger(__name__)

CANNOT_LISTEN = "无法监听 / cannot listen on [server] {host}:{port}: {cause}"
WORKER_FLAG = "--worker-of"  # serve's hidden option: a web process started by `serve`, given its starter's pid
LISTEN_BACKLOG = 1024
STOP_WAIT = 10  # seconds a worker has to finish before it is killed
GIL_SWITCH_INTERVAL = 0.0001  # seconds; CPython's default is 0.005


def hand_the_gil_back_quickly() -> None:
    """Let a thread that waited on the database have the interpreter back within 0.1 ms instead of 5 ms.

    A message's transaction holds the database's writer (SQLite) or a connection's row locks while it makes
    half a dozen statements, letting go of the GIL at each; another request thread then keeps the GIL for up to
    the switch interval before the transaction goes on, so every writer waits behind readers and the transaction
    holds its locks longer. Measured with bench.webhook on SQLite: 293 → 447 messages/s, p99 352 → 245 ms, when
    a statement took ~0.1 ms of SQLAlchemy; with the statements on the driver, 5 ms cost the bot 40% more CPU a
    message in one run, and 0.1, 1 and 5 ms were within the machine's noise of each other in later ones (README,
    Benchmarks).
    """
    sys.setswitchinterval(GIL_SWITCH_INTERVAL)


class OncePerInterval(logging.Filter):
    """Lets a logger's records through at most once per `seconds`, telling how many it held back.

    waitress warns "Task queue depth is N" for every request that finds all threads busy: under a burst of
    messages, a log line per message, which buries the log and takes the CPU the messages need.
    """

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic):
        super().__init__()
        self._seconds, self._clock = seconds, clock
        self._next = float("-inf")
        self._held = 0

    def filter(self, record: logging.LogRecord) -> bool:
        now = self._clock()
        if now < self._next:
            self._held += 1
            return False
        if self._held:
            record.msg = f"{record.msg} ({self._held} such warnings in the last {self._seconds:.0f} s not shown)"
        self._next, self._held = now + self._seconds, 0
        return True


QUEUE_WARNINGS = OncePerInterval(60)


def listen(app, server: ServerConfig, *, shared: bool):
    """waitress bound to `[server]` host and port, its socket shared with the other workers when `shared`.

    StartupError if it cannot be (the port taken, or the host not an address of this machine).
    """
    queue_log = logging.getLogger("waitress.queue")
    if QUEUE_WARNINGS not in queue_log.filters:
        queue_log.addFilter(QUEUE_WARNINGS)
    try:
        if not shared:
            return waitress.create_server(app, host=server.host, port=server.port, threads=server.threads, **_connection_limits(server))
        return waitress.create_server(app, sockets=[_shared_socket(server)], threads=server.threads, **_connection_limits(server))
    except OSError as exc:
        raise StartupError(CANNOT_LISTEN.format(host=server.host, port=server.port, cause=exc.strerror or exc)) from None


def _shared_socket(server: ServerConfig) -> socket.socket:
    family, kind, proto, _, address = socket.getaddrinfo(server.host, server.port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(address)
    sock.listen(LISTEN_BACKLOG)
    return sock


def _connection_limits(server: ServerConfig) -> dict:
    """waitress's defaults let ~100 idle or half-sent connections freeze the server for two minutes; these do not."""
    return {
        "connection_limit": server.connection_limit,
        "channel_timeout": server.channel_timeout,
        "cleanup_interval": server.channel_timeout,  # waitress looks for timed-out connections only this often
        "asyncore_use_poll": server.asyncore_use_poll,
    }


@contextmanager
def other_workers(config: Config) -> Iterator[None]:
    """`[server] workers` - 1 more web processes on the same port while the block runs; one that dies is started again."""
    count = config.server.workers - 1
    if count <= 0:
        yield
        return
    stopping = threading.Event()
    workers = [_start_worker(config) for _ in range(count)]
    keeper = threading.Thread(target=_keep_running, args=(workers, config, stopping), name="workers", daemon=True)
    keeper.start()
    try:
        yield
    finally:
        stopping.set()
        keeper.join()
        _stop(workers)


def _start_worker(config: Config) -> subprocess.Popen:
    command = [sys.executable, "-m", "bot", "--config", config.source, "serve", "--no-scheduler", WORKER_FLAG, str(os.getpid())]
    return subprocess.Popen(command)


def _keep_running(workers: list[subprocess.Popen], config: Config, stopping: threading.Event) -> None:
    while not stopping.wait(1):
        for i, worker in enumerate(workers):
            if worker.poll() is not None:
                log.error("web worker %s ended with %s; starting another", worker.pid, worker.returncode)
                workers[i] = _start_worker(config)


def _stop(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        worker.terminate()
    deadline = time.monotonic() + STOP_WAIT
    for worker in workers:
        try:
            worker.wait(max(deadline - time.monotonic(), 0))
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def end_with(starter: int) -> None:
    """A worker's watch on the process that started it: when that one is gone (even killed), this one ends too."""

    def watch() -> None:
        while os.getppid() == starter:
            time.sleep(1)
        log.info("the serve process %s is gone: this worker ends", starter)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="starter-watch", daemon=True).start()
