"""Validly signed but corrupt ciphertext: refused with 400 and one warning line, never a 500 or a traceback."""

from __future__ import annotations

import base64
import logging

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from tests.support.wecom_sim import AES_KEY, CORP_ID, TOKEN, sign

KEY = base64.b64decode(AES_KEY + "=")
SEED = bytes(range(64))  # fixed "random" bytes: the cases must not depend on luck


def encrypted(plain: bytes) -> str:
    """AES-256-CBC with WeCom's key and IV, no padding added: the caller decides what the padding looks like."""
    encryptor = Cipher(algorithms.AES(KEY), modes.CBC(KEY[:16])).encryptor()
    return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()


def plaintext(padding: bytes) -> bytes:
    """WeCom's plaintext layout (16 random bytes, length, message, corp id) followed by the given padding."""
    body = SEED[:16] + (5).to_bytes(4, "big") + b"<xml>" + CORP_ID.encode()
    return body + bytes(32 - len(body) % 32 - len(padding)) + padding


CORRUPT = {
    "empty": "",
    "16 random bytes": base64.b64encode(SEED[:16]).decode(),
    "32 random bytes": base64.b64encode(SEED[:32]).decode(),
    "padding byte 0": encrypted(plaintext(b"\x00")),
    "padding byte 33": encrypted(plaintext(b"\x21")),
    "padding bytes that disagree": encrypted(plaintext(b"\x01\x02")),
    "not base64": "%%%%",
    "base64 not in whole blocks": base64.b64encode(b"abc").decode(),
}


def signed_query(encrypt: str, timestamp: str) -> dict[str, str]:
    return {"msg_signature": sign(TOKEN, timestamp, "n1", encrypt), "timestamp": timestamp, "nonce": "n1"}


@pytest.mark.parametrize("encrypt", CORRUPT.values(), ids=CORRUPT.keys())
def test_signed_corrupt_post_is_400_with_one_warning(client, clock, caplog, encrypt):
    body = f"<xml><ToUserName>{CORP_ID}</ToUserName><Encrypt>{encrypt}</Encrypt></xml>" if encrypt else "<xml><Encrypt/></xml>"
    with caplog.at_level(logging.WARNING):
        response = client.post("/wecom/callback", query_string=signed_query(encrypt, str(int(clock().timestamp()))), data=body)
    assert response.status_code == 400
    assert_one_warning_line(caplog)


@pytest.mark.parametrize("echostr", [e for e in CORRUPT.values() if e], ids=[k for k, e in CORRUPT.items() if e])
def test_signed_garbage_echostr_is_400_with_one_warning(client, caplog, echostr):
    with caplog.at_level(logging.WARNING):
        response = client.get("/wecom/callback", query_string={**signed_query(echostr, "1409659589"), "echostr": echostr})
    assert response.status_code == 400
    assert_one_warning_line(caplog)


def assert_one_warning_line(caplog) -> None:
    """Exactly one record at WARNING or above, on one line, with no traceback attached."""
    records = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(records) == 1, [r.getMessage() for r in records]
    assert records[0].levelno == logging.WARNING and records[0].exc_info is None
    assert "\n" not in records[0].getMessage()
