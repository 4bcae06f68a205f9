"""The baseline for bench/webhook.py: a bare Flask + wechatpy echo app on the same WSGI server as `serve`."""

from __future__ import annotations

import argparse

import waitress
from flask import Flask, request
from wechatpy.enterprise import WeChatCrypto, create_reply, parse_message

from tests.wecom_sim import AES_KEY, CORP_ID, TOKEN


def create_echo_app() -> Flask:
    app = Flask(__name__)
    crypto = WeChatCrypto(TOKEN, AES_KEY, CORP_ID)

    @app.post("/wecom/callback")
    def echo():
        args = request.args
        plain = crypto.decrypt_message(request.get_data(), args["msg_signature"], args["timestamp"], args["nonce"])
        message = parse_message(plain)
        reply = create_reply(message.content, message).render()
        return crypto.encrypt_message(reply, args["nonce"], args["timestamp"])

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    return app


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--threads", type=int, default=8)
    options = parser.parse_args()
    waitress.serve(create_echo_app(), host="127.0.0.1", port=options.port, threads=options.threads)
