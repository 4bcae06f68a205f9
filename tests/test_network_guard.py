"""The suite's network guard (conftest's autouse loopback_only): a test reaching off this machine is refused and named."""

from __future__ import annotations

import socket

import pytest
import requests

from tests.support.network import OffMachineConnection, is_loopback


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.8.9.10", True), ("::1", True), ("[::1]", True), ("::ffff:127.0.0.1", True), ("localhost", True),
     ("LOCALHOST", True), ("10.0.0.1", False), ("192.0.2.1", False), ("2001:db8::1", False), ("qyapi.weixin.qq.com", False), ("", False)],
)
def test_only_loopback_addresses_count_as_this_machine(host, loopback):
    assert is_loopback(host) is loopback


def test_connecting_off_the_machine_is_refused_with_the_address_named(loopback_only):
    with pytest.raises(OffMachineConnection, match=r"192\.0\.2\.1:80"):
        socket.create_connection(("192.0.2.1", 80), timeout=1)
    with socket.socket() as sock, pytest.raises(OffMachineConnection, match=r"198\.51\.100\.7:443"):
        sock.connect_ex(("198.51.100.7", 443))
    with pytest.raises(OffMachineConnection, match=r"qyapi\.weixin\.qq\.com"):
        requests.get("https://qyapi.weixin.qq.com/cgi-bin/gettoken", timeout=1)
    assert loopback_only.take() == ["192.0.2.1:80", "198.51.100.7:443", "qyapi.weixin.qq.com (a name lookup)"]


def test_loopback_and_unix_sockets_still_connect(fake_wecom, tmp_path):
    assert requests.get(f"{fake_wecom.base_url}gettoken", timeout=5).json()["access_token"] == "TOKEN"
    assert requests.get(f"http://localhost:{fake_wecom.port}/cgi-bin/gettoken", timeout=5).ok
    path = str(tmp_path / "s.sock")
    with socket.socket(socket.AF_UNIX) as server, socket.socket(socket.AF_UNIX) as client:
        server.bind(path)
        server.listen()
        client.connect(path)
