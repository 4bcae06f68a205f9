"""Bad input both callbacks must refuse with 4xx and one warning line: bodies that are no message, ciphertexts that are none."""

from __future__ import annotations

import base64
import logging

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from tests.support.wecom_sim import AES_KEY, CORP_ID

KEY = base64.b64decode(AES_KEY + "=")
SEED = bytes(range(64))  # fixed "random" bytes: the cases must not depend on luck

MALFORMED_BODIES = [
    b"",
    b"not xml at all",
    b"<xml></xml>",  # no Encrypt element
    b"<xml><Encrypt>",
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><xml><Encrypt>&a;</Encrypt></xml>',  # entities are refused
    "<xml><Encrypt>\u00ff\u00fe</Encrypt></xml>".encode("latin-1"),  # not UTF-8
]


def encrypted(plain: bytes) -> str:
    """AES-256-CBC with the sample key and its IV, no padding added: the caller decides what the padding looks like."""
    encryptor = Cipher(algorithms.AES(KEY), modes.CBC(KEY[:16])).encryptor()
    return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()


def plaintext(padding: bytes) -> bytes:
    """The callbacks' plaintext layout (16 random bytes, length, message, corp id) followed by the given padding."""
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


def assert_one_warning_line(caplog) -> None:
    """Exactly one record at WARNING or above, on one line, with no traceback attached."""
    records = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(records) == 1, [r.getMessage() for r in records]
    assert records[0].levelno == logging.WARNING and records[0].exc_info is None
    assert "\n" not in records[0].getMessage()
