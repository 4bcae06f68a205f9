"""WeCom's callback crypto: wechatpy's signature check and encryption, with a decryption that refuses malformed plaintext.

wechatpy 1.8.18 reads whatever the last decrypted byte is as the padding and slices on: signed
garbage then fails deep inside with IndexError or struct.error, or passes as a wrong corp id.
Here every ciphertext that is not WeCom's layout (doc 90968: 16 random bytes, a 4-byte length,
the message, the corp id, PKCS#7 padding to 32-byte blocks) raises MalformedCiphertext.
"""

from __future__ import annotations

import base64
import binascii

from cryptography.hazmat.primitives.padding import PKCS7
from wechatpy.enterprise import WeChatCrypto
from wechatpy.enterprise.crypto import PrpCrypto
from wechatpy.enterprise.exceptions import InvalidCorpIdException

PADDING_BITS = 256  # WeCom pads to 32-byte blocks, not AES's 16
HEADER_BYTES = 20  # 16 random bytes and the message length


class MalformedCiphertext(ValueError):
    """Signed ciphertext that does not decrypt to a WeCom plaintext."""


class StrictPrpCrypto(PrpCrypto):
    """wechatpy's cipher, with every field of the plaintext checked before it is read."""

    def decrypt(self, text, corp_id):
        message, receiver = _fields(_unpadded(self.cipher.decrypt(_ciphertext(text))))
        if receiver != corp_id.encode():
            raise InvalidCorpIdException()
        return message.decode()


class WeComCrypto(WeChatCrypto):
    """wechatpy's WeChatCrypto for WeCom, decrypting callbacks and echostrs with StrictPrpCrypto."""

    def check_signature(self, signature, timestamp, nonce, echo_str):
        return self._check_signature(signature, timestamp, nonce, echo_str, StrictPrpCrypto)

    def decrypt_message(self, msg, signature, timestamp, nonce):
        return self._decrypt_message(msg, signature, timestamp, nonce, StrictPrpCrypto)


def _ciphertext(text: str | bytes | None) -> bytes:
    """The base64 ciphertext as bytes, in whole AES blocks (characters outside base64 are skipped, as WeCom's samples do)."""
    try:
        raw = base64.b64decode(text or b"")
    except binascii.Error:
        raise MalformedCiphertext("not base64") from None
    if not raw or len(raw) % 16:
        raise MalformedCiphertext(f"{len(raw)} bytes is not whole AES blocks")
    return raw


def _fields(plain: bytes) -> tuple[bytes, bytes]:
    """The message and the receiver (corp id) of an unpadded plaintext."""
    if len(plain) < HEADER_BYTES:
        raise MalformedCiphertext("shorter than its header")
    end = HEADER_BYTES + int.from_bytes(plain[16:HEADER_BYTES], "big")
    if end > len(plain):
        raise MalformedCiphertext("message length beyond the plaintext")
    return plain[HEADER_BYTES:end], plain[end:]


def _unpadded(plain: bytes) -> bytes:
    """The plaintext without its PKCS#7 padding, which must be exactly what WeCom writes."""
    unpadder = PKCS7(PADDING_BITS).unpadder()
    try:
        return unpadder.update(plain) + unpadder.finalize()
    except ValueError:
        raise MalformedCiphertext("bad PKCS#7 padding") from None
