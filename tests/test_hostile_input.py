"""Validly signed but corrupt ciphertext: refused with 400 and one warning line, never a 500 or a traceback."""

from __future__ import annotations

import logging

import pytest

from tests.support.hostile import CORRUPT, assert_one_warning_line
from tests.support.wecom_sim import CORP_ID, TOKEN, sign


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
