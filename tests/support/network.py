"""Tests stay on this machine: connecting anywhere but loopback or a Unix socket is refused, named, and recorded.

conftest's autouse `loopback_only` fixture installs the guard for every test and fails the test at teardown when
anything was refused, even if the code under test caught the error (a messenger turns most errors into retries).
It covers this process's sockets: `socket.socket.connect`/`connect_ex` (through which `socket.create_connection`,
urllib3 and requests connect) and name lookups through `socket.getaddrinfo`. Subprocesses and libpq (psycopg's
connections, made in C) are outside it; the PostgreSQL URL is the operator's choice.
"""

from __future__ import annotations

import ipaddress
import socket
import threading

import pytest

LOOPBACK_NAMES = {"localhost"}


class OffMachineConnection(RuntimeError):
    """Not an OSError, so that no retry or fallback mistakes it for a network that is merely down."""


def is_loopback(host: str | bytes | None) -> bool:
    """127.0.0.0/8, ::1 (also as ::ffff:127.x.x.x) or localhost."""
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not host:
        return False
    host = host.strip("[]").split("%", 1)[0]  # an IPv6 literal may come bracketed or with a scope id
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_loopback


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return False
    return True


class LoopbackOnly:
    """The guard: `install(monkeypatch)` for one test; `refused` lists what that test tried to reach."""

    def __init__(self):
        self.refused: list[str] = []
        self._lock = threading.Lock()

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        guard = self
        real_connect, real_connect_ex, real_getaddrinfo = socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo

        def connect(sock, address):
            guard.check_connect(sock, address)
            return real_connect(sock, address)

        def connect_ex(sock, address):
            guard.check_connect(sock, address)
            return real_connect_ex(sock, address)

        def getaddrinfo(host, *args, **kwargs):
            guard.check_lookup(host)
            return real_getaddrinfo(host, *args, **kwargs)

        monkeypatch.setattr(socket.socket, "connect", connect)
        monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)

    def check_connect(self, sock: socket.socket, address) -> None:
        """Let a connection to this machine through; refuse any other, closing the socket (callers that catch
        only OSError, as socket.create_connection and urllib3 do, would leave it open)."""
        if sock.family == getattr(socket, "AF_UNIX", None):
            return
        if sock.family in (socket.AF_INET, socket.AF_INET6) and isinstance(address, tuple) and is_loopback(address[0]):
            return
        sock.close()
        self._refuse(f"{address[0]}:{address[1]}" if isinstance(address, tuple) and len(address) >= 2 else repr(address))

    def check_lookup(self, host) -> None:
        """A name other than localhost would be looked up in DNS, off this machine; addresses are left to connect."""
        if host is None or host == "" or is_loopback(host):
            return
        text = host.decode("ascii", "replace") if isinstance(host, bytes) else str(host)
        if not _is_ip_literal(text):
            self._refuse(f"{text} (a name lookup)")

    def _refuse(self, what: str) -> None:
        with self._lock:
            self.refused.append(what)
        raise OffMachineConnection(f"a test tried to reach {what}: tests may connect only to 127.0.0.0/8, ::1, localhost or a Unix socket")

    def take(self) -> list[str]:
        """What was refused so far, forgotten: for a test that means to be refused."""
        with self._lock:
            refused, self.refused = self.refused, []
        return refused
