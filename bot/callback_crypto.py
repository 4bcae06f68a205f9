"""The callbacks' crypto: wechatpy's signature checks and encryption, with a decryption that refuses malformed plaintext.

WeCom's app and the WeChat official account's safe mode (安全模式) encrypt alike (WeCom doc 90968; the
official account's 消息加解密说明): 16 random bytes, a 4-byte length, the message, the receiver's id (the
corp id, or the account's AppID), PKCS#7 padding to 32-byte blocks. wechatpy 1.8.18 reads whatever the
last decrypted byte is as the padding and slices on: signed garbage then fails deep inside with
IndexError or struct.error, or passes as a wrong receiver. Here every ciphertext that is not that layout
raises MalformedCiphertext.
"""

from __future__ import annotations

import base64
import binascii

from cryptography.hazmat.primitives.padding import PKCS7
from wechatpy.crypto import BasePrpCrypto
from wechatpy.crypto import WeChatCrypto as AccountWeChatCrypto
from wechatpy.enterprise import WeChatCrypto
from wechatpy.enterprise.exceptions import InvalidCorpIdException
from wechatpy.exceptions import InvalidAppIdException

PADDING_BITS = 256  # both pad to 32-byte blocks, not AES's 16
HEADER_BYTES = 20  # 16 random bytes and the message length


class MalformedCiphertext(ValueError):
    """Signed ciphertext that does not decrypt to a callback's plaintext."""


class StrictPrpCrypto(BasePrpCrypto):
    """wechatpy's cipher, with every field of the plaintext checked before it is read; a WeCom corp id as the receiver."""

    wrong_receiver: type[Exception] = InvalidCorpIdException

    def encrypt(self, text, receiver_id):
        return self._encrypt(text, receiver_id)

    def decrypt(self, text, receiver_id):
        message, receiver = _fields(_unpadded(self.cipher.decrypt(_ciphertext(text))))
        if receiver != receiver_id.encode():
            raise self.wrong_receiver()
        return message.decode()


class StrictAccountPrpCrypto(StrictPrpCrypto):
    """The same for the official account, whose receiver is its AppID."""

    wrong_receiver = InvalidAppIdException


class WeComCrypto(WeChatCrypto):
    """wechatpy's WeChatCrypto for WeCom, decrypting callbacks and echostrs with StrictPrpCrypto."""

    def check_signature(self, signature, timestamp, nonce, echo_str):
        return self._check_signature(signature, timestamp, nonce, echo_str, StrictPrpCrypto)

    def decrypt_message(self, msg, signature, timestamp, nonce):
        return self._decrypt_message(msg, signature, timestamp, nonce, StrictPrpCrypto)


class AccountCrypto(AccountWeChatCrypto):
    """wechatpy's WeChatCrypto for the official account's safe mode, decrypting with StrictAccountPrpCrypto."""

    def decrypt_message(self, msg, signature, timestamp, nonce):
        return self._decrypt_message(msg, signature, timestamp, nonce, StrictAccountPrpCrypto)


def _ciphertext(text: str | bytes | None) -> bytes:
    """The base64 ciphertext as bytes, in whole AES blocks (characters outside base64 are skipped, as Tencent's samples do)."""
    try:
        raw = base64.b64decode(text or b"")
    except binascii.Error:
        raise MalformedCiphertext("not base64") from None
    if not raw or len(raw) % 16:
        raise MalformedCiphertext(f"{len(raw)} bytes is not whole AES blocks")
    return raw


def _fields(plain: bytes) -> tuple[bytes, bytes]:
    """The message and the receiver (corp id or AppID) of an unpadded plaintext."""
    if len(plain) < HEADER_BYTES:
        raise MalformedCiphertext("shorter than its header")
    end = HEADER_BYTES + int.from_bytes(plain[16:HEADER_BYTES], "big")
    if end > len(plain):
        raise MalformedCiphertext("message length beyond the plaintext")
    return plain[HEADER_BYTES:end], plain[end:]


def _unpadded(plain: bytes) -> bytes:
    """The plaintext without its PKCS#7 padding, which must be exactly what Tencent writes."""
    unpadder = PKCS7(PADDING_BITS).unpadder()
    try:
        return unpadder.update(plain) + unpadder.finalize()
    except ValueError:
        raise MalformedCiphertext("bad PKCS#7 padding") from None
